package dev.forger.trainer.quality;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.forger.trainer.data.ImageSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything of a fitted {@link QualityEvaluator} besides the network, as {@code quality.json}.
 *
 * <p>JSON keeps it readable; Java writes each double in a form that parses back to the same bits,
 * so a loaded evaluator reproduces the saved one's numbers exactly.
 *
 * @param format           file format version, {@value #FORMAT}
 * @param extractor        the classifier's name, {@link DigitClassifier#NAME}
 * @param channels         image shape the classifier takes
 * @param height           image shape the classifier takes
 * @param width            image shape the classifier takes
 * @param sampleCount      n of both the held-out statistics and the floor
 * @param heldOutAccuracy  the classifier's accuracy on the held-out images, or null when unlabelled
 * @param floor            FD of n training images against the held-out statistics
 * @param heldOutSha256    fingerprint of the held-out set the statistics describe
 * @param heldOutMean      μ of the held-out features
 * @param heldOutCovariance Σ of the held-out features
 */
record SavedQuality(int format, String extractor, int channels, int height, int width, int sampleCount,
                    Double heldOutAccuracy, double floor, String heldOutSha256,
                    double[] heldOutMean, double[][] heldOutCovariance) {

    static final int FORMAT = 1;
    static final String FILE = "quality.json";

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(FILE).toFile(), this);
    }

    static SavedQuality read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": quality evaluator state is missing");
        }
        SavedQuality saved;
        try {
            saved = JSON.readValue(file.toFile(), SavedQuality.class);
        } catch (IOException e) {
            throw new IOException(file + ": not a quality evaluator state: " + e.getMessage(), e);
        }
        saved.check(file);
        return saved;
    }

    private void check(Path file) throws IOException {
        if (format != FORMAT) {
            throw new IOException(file + ": format is " + format + ", this build reads format " + FORMAT);
        }
        if (heldOutSha256 == null || heldOutMean == null || heldOutCovariance == null) {
            throw new IOException(file + ": heldOutSha256, heldOutMean and heldOutCovariance are required");
        }
        if (sampleCount < 2) {
            throw new IOException(file + ": sampleCount is " + sampleCount + ", needs at least 2");
        }
        try {
            new GaussianStats(heldOutMean, heldOutCovariance);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": held-out statistics: " + e.getMessage(), e);
        }
    }

    /** SHA-256 over the shape, pixels and labels of a set: tells whether saved statistics describe it. */
    static String fingerprint(ImageSet set) {
        return set.sha256();
    }
}
