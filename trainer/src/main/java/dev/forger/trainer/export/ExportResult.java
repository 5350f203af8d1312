package dev.forger.trainer.export;

import dev.forger.graph.manifest.BundleManifest;
import java.nio.file.Path;

/**
 * A written and verified bundle.
 *
 * @param bundleDir    where it is
 * @param manifest     its manifest.json
 * @param epoch        the checkpoint's epoch the weights come from
 * @param verification what the verification measured
 * @param served       what the written nets say on the run's held-out images (empty parts without them)
 */
public record ExportResult(Path bundleDir, BundleManifest manifest, int epoch, VerificationReport verification,
                           ServedMeasurements served) {}
