package dev.forger.trainer.export;

import ai.onnxruntime.OrtException;
import dev.forger.graph.autodiff.UnsupportedGraphException;
import dev.forger.graph.manifest.BundleManifest;
import dev.forger.graph.manifest.ManifestIo;
import dev.forger.graph.manifest.Sha256;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.trainer.NativeBackend;
import dev.forger.trainer.training.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns a training checkpoint into a model bundle (DESIGN.md "Model bundle"): generator.onnx,
 * discriminator.onnx, discriminator-grad.onnx, classifier.onnx when the run trained a digit classifier for its
 * quality metric, and manifest.json, verified before it is handed out.
 *
 * <p>When the run directory holds the images the run kept out of training ({@link RunRecords#heldOut()}), the
 * written files are measured on them in ONNX Runtime before the manifest is written: what the served
 * discriminator says about held-out real and generated images ({@link ServedDiscriminator}) and the classifier's
 * held-out accuracy. So the manifest's numbers describe the nets a service loads, not DL4J's training mode.
 *
 * <p>The bundle is written into a hidden staging folder beside {@code outDir}, verified there from
 * the files as written ({@link BundleVerifier}), and only then renamed to {@code outDir}: a bundle
 * that fails verification never appears where the service looks.
 */
public final class BundleExporter {

    /** Changes an exported model before it is written; package-private, for tests that corrupt an export. */
    interface Tamper {
        OnnxModel apply(String file, OnnxModel model);
    }

    private final Tamper tamper;
    private final BundleVerifier verifier;

    public BundleExporter() {
        this((file, model) -> model, new BundleVerifier());
    }

    BundleExporter(Tamper tamper, BundleVerifier verifier) {
        this.tamper = tamper;
        this.verifier = verifier;
    }

    /**
     * @param checkpointOrRunDir a run directory (its newest checkpoint) or one {@code checkpoints/epoch-NNNN} folder
     * @param outDir             the bundle directory to create; must not exist or be empty
     * @param name               the bundle's name (manifest and ONNX metadata)
     * @param version            the bundle's version
     * @throws ExportException             bad input: no checkpoint, unusable output directory, a net that cannot be mapped
     * @throws VerificationFailedException the written models do not match the DL4J nets; nothing is left in outDir
     */
    public ExportResult export(Path checkpointOrRunDir, Path outDir, String name, String version)
            throws ExportException, VerificationFailedException {
        NativeBackend.init();
        requireText("name", name);
        requireText("version", version);
        Path target = outDir.toAbsolutePath().normalize();
        requireUsableTarget(target);
        Checkpoint checkpoint = load(checkpointOrRunDir);
        RunRecords records;
        try {
            records = RunRecords.read(runDirOf(checkpointOrRunDir));
        } catch (IOException e) {
            throw new ExportException(e.getMessage(), e);
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("version", version);
        metadata.put("forger.epoch", Integer.toString(checkpoint.state().epoch()));
        var config = checkpoint.state().config();
        OnnxModel generator;
        OnnxModel discriminator;
        OnnxModel gradient;
        OnnxModel classifier = null;
        try {
            generator = DcganOnnxExporter.generator(checkpoint.generator(), config, metadata);
            discriminator = DcganOnnxExporter.discriminator(checkpoint.discriminatorToServe(), config, metadata);
            gradient = DcganOnnxExporter.discriminatorGradient(discriminator);
            if (records.classifier() != null) {
                classifier = DcganOnnxExporter.classifier(records.classifier(), config.channels(), config.imageSize(),
                        metadata);
            }
        } catch (UnsupportedLayerException | UnsupportedGraphException e) {
            throw new ExportException(checkpointOrRunDir + ": cannot export: " + e.getMessage(), e);
        }

        Path staging = createStaging(target);
        boolean done = false;
        try {
            BundleFiles files = new BundleFiles(
                    write(staging, BundleFiles.GENERATOR, generator),
                    write(staging, BundleFiles.DISCRIMINATOR, discriminator),
                    write(staging, BundleFiles.GRADIENT, gradient),
                    classifier == null ? null : write(staging, BundleFiles.CLASSIFIER, classifier));
            ServedMeasurements served = ServedMeasurements.measure(staging, files, records, config,
                    checkpoint.state().seed());
            Path manifestFile = staging.resolve(ManifestIo.FILE_NAME);
            ManifestIo.write(manifestFile, ManifestFactory.create(name, version, checkpoint.state(), records, files,
                    served));
            // from here on, the manifest as the service will read it (JSON numbers come back as Integer/Double)
            BundleManifest manifest = ManifestIo.read(manifestFile);
            VerificationReport report = verifier.verify(staging, manifest, checkpoint.generator(),
                    checkpoint.discriminatorToServe(), records.classifier(), config);
            if (!report.passed()) {
                throw new VerificationFailedException(report);
            }
            publish(staging, target);
            done = true;
            return new ExportResult(target, manifest, checkpoint.state().epoch(), report, served);
        } catch (IOException e) {
            throw new ExportException("cannot write the bundle in " + staging + ": " + e.getMessage(), e);
        } catch (OrtException e) {
            throw new ExportException("ONNX Runtime cannot run the written bundle to measure it: " + e.getMessage(), e);
        } finally {
            if (!done) {
                deleteQuietly(staging);
            }
        }
    }

    private static void requireText(String what, String value) throws ExportException {
        if (value == null || value.isBlank()) {
            throw new ExportException("the bundle " + what + " must not be blank");
        }
    }

    private static Checkpoint load(Path checkpointOrRunDir) throws ExportException {
        if (!Files.isDirectory(checkpointOrRunDir)) {
            throw new ExportException(checkpointOrRunDir + ": no such directory (expected a run directory or a "
                    + Checkpoint.DIRECTORY + "/epoch-NNNN folder)");
        }
        try {
            return Checkpoint.load(checkpointOrRunDir);
        } catch (IOException | RuntimeException e) {
            throw new ExportException(checkpointOrRunDir + ": cannot load the checkpoint: " + e.getMessage(), e);
        }
    }

    /** The run directory holding run.json and metrics.csv, or null for a checkpoint folder outside a run. */
    static Path runDirOf(Path checkpointOrRunDir) {
        Path dir = checkpointOrRunDir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("state.json"))) {
            return dir;
        }
        Path parent = dir.getParent();
        return parent != null && parent.getFileName().toString().equals(Checkpoint.DIRECTORY) ? parent.getParent() : null;
    }

    private static void requireUsableTarget(Path target) throws ExportException {
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) {
                throw new ExportException(target + ": exists and is not a directory");
            }
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new ExportException(target + ": exists and is not empty; choose a new --out or remove it");
                }
            } catch (IOException e) {
                throw new ExportException(target + ": cannot be read: " + e.getMessage(), e);
            }
        }
        if (target.getParent() == null) {
            throw new ExportException(target + ": cannot write a bundle at the file-system root");
        }
    }

    private static Path createStaging(Path target) throws ExportException {
        try {
            Files.createDirectories(target.getParent());
            return Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".export-");
        } catch (IOException | UnsupportedOperationException e) {
            throw new ExportException(target.getParent() + ": not writable, cannot create the bundle there ("
                    + e.getMessage() + ")", e);
        }
    }

    private String write(Path dir, String file, OnnxModel model) throws IOException {
        tamper.apply(file, model).write(dir.resolve(file));
        return Sha256.of(dir.resolve(file));
    }

    /** Readable by all (the service may run as another user), then renamed into place. */
    private static void publish(Path staging, Path target) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            try (Stream<Path> files = Files.list(staging)) {
                for (Path f : files.toList()) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        if (Files.isDirectory(target)) {
            Files.delete(target); // empty, checked before
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover hidden staging folder is harmless
        }
    }
}
