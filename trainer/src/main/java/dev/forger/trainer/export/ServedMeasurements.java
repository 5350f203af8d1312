package dev.forger.trainer.export;

import ai.onnxruntime.OrtException;
import dev.forger.trainer.Seeds;
import dev.forger.trainer.data.ImageSet;
import dev.forger.trainer.nets.DcganConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * What the written bundle's nets say on the run's held-out images, measured in ONNX Runtime before the manifest
 * is written; both parts are null when the run directory holds no held-out images (or, for the classifier, no
 * labels or no classifier).
 *
 * @param discriminator      the served discriminator on held-out real and generated images
 * @param classifierAccuracy share of held-out images whose label is the argmax of {@code classifier.onnx}'s logits
 * @param classifierImages   how many held-out images that share is of
 */
public record ServedMeasurements(ServedDiscriminator discriminator, Double classifierAccuracy, int classifierImages) {

    static final ServedMeasurements NONE = new ServedMeasurements(null, null, 0);
    private static final int BATCH = 250;

    /**
     * @param seed the run's seed; the generated images' latents come from its stream
     *             {@link Seeds#SERVED_METRICS_LATENTS}, so the same checkpoint always gives the same numbers
     */
    static ServedMeasurements measure(Path bundleDir, BundleFiles files, RunRecords records, DcganConfig config,
                                      long seed) throws OrtException {
        ImageSet heldOut = records.heldOut();
        if (heldOut == null || heldOut.channels() != config.channels() || heldOut.height() != config.imageSize()
                || heldOut.width() != config.imageSize()) {
            return NONE;
        }
        ServedDiscriminator discriminator = ServedDiscriminator.measure(bundleDir.resolve(BundleFiles.GENERATOR),
                bundleDir.resolve(BundleFiles.DISCRIMINATOR), heldOut, config.zDim(),
                Seeds.derive(seed, Seeds.SERVED_METRICS_LATENTS));
        Double accuracy = files.classifierSha256() != null && heldOut.hasLabels()
                ? accuracy(bundleDir.resolve(BundleFiles.CLASSIFIER), heldOut) : null;
        return new ServedMeasurements(discriminator, accuracy, accuracy == null ? 0 : heldOut.size());
    }

    private static double accuracy(Path classifierFile, ImageSet images) throws OrtException {
        int correct = 0;
        try (OrtModel classifier = OrtModel.open(classifierFile)) {
            for (int from = 0; from < images.size(); from += BATCH) {
                int b = Math.min(BATCH, images.size() - from);
                int[] indices = new int[b];
                int start = from;
                Arrays.setAll(indices, i -> start + i);
                float[] pixels = images.batch(indices, new float[b * images.imageSize()]);
                OrtModel.Tensor logits = classifier.run(Map.of(DcganOnnxExporter.IMAGE, new OrtModel.Tensor(pixels,
                        new long[] {b, images.channels(), images.height(), images.width()})))
                        .get(DcganOnnxExporter.CLASS_LOGITS);
                int classes = (int) logits.shape()[1];
                for (int i = 0; i < b; i++) {
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (logits.data()[i * classes + c] > logits.data()[i * classes + best]) {
                            best = c;
                        }
                    }
                    if (best == images.labels()[start + i]) {
                        correct++;
                    }
                }
            }
        }
        return correct / (double) images.size();
    }

    /** Lines for the export's output. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        if (discriminator != null) {
            text.append("  ").append(discriminator.describe());
        } else {
            text.append("  served discriminator not measured: the run directory holds no held-out images");
        }
        if (classifierAccuracy != null) {
            text.append(System.lineSeparator()).append(String.format(Locale.ROOT,
                    "  classifier (ONNX Runtime): %.2f%% of %d held-out images", 100 * classifierAccuracy, classifierImages));
        }
        return text.toString();
    }
}
