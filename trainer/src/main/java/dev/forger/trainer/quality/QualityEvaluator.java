package dev.forger.trainer.quality;

import dev.forger.trainer.Seeds;
import dev.forger.trainer.data.ImageSet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Scores generated samples against real held-out images: a Fréchet distance in the feature space
 * of a digit classifier trained on the dataset's own labels (an "FID" whose Inception network is
 * replaced by {@link DigitClassifier}), plus the class histogram of the samples (mode coverage).
 *
 * <p><b>Sample count.</b> The Fréchet distance estimated from n samples is biased upwards by a
 * term that shrinks with n, so numbers are comparable only at equal n. Every distance here uses
 * {@link #sampleCount()} = min(held-out size, training size, {@value #MAX_SAMPLES}) images: the
 * held-out statistics come from the first n held-out images, the {@link #floor()} from n seeded
 * training images, and {@link #evaluate} from the first n samples it is given (fewer is refused).
 *
 * <p>Not thread-safe: one evaluator per training loop.
 */
public final class QualityEvaluator {

    /** Classifier epochs when none are given: 2 passes over 8,000 MNIST digits are 500 updates, enough for ~98%. */
    public static final int DEFAULT_EPOCHS = 2;
    /** Cap on n: SVHN's 26k test images would make every evaluation generate that many samples. */
    public static final int MAX_SAMPLES = 10_000;
    public static final String CLASSIFIER_FILE = "digit-classifier.zip";

    private final DigitClassifier classifier;
    private final GaussianStats heldOut;
    private final int sampleCount;
    private final double floor;
    private final double heldOutAccuracy;
    private final String heldOutSha256;
    private final String extractor;

    private QualityEvaluator(DigitClassifier classifier, GaussianStats heldOut, int sampleCount, double floor,
                             double heldOutAccuracy, String heldOutSha256) {
        this(classifier, heldOut, sampleCount, floor, heldOutAccuracy, heldOutSha256, DigitClassifier.NAME);
    }

    private QualityEvaluator(DigitClassifier classifier, GaussianStats heldOut, int sampleCount, double floor,
                             double heldOutAccuracy, String heldOutSha256, String extractor) {
        this.extractor = extractor;
        this.classifier = classifier;
        this.heldOut = heldOut;
        this.sampleCount = sampleCount;
        this.floor = floor;
        this.heldOutAccuracy = heldOutAccuracy;
        this.heldOutSha256 = heldOutSha256;
    }

    /** Trains the digit classifier on {@code train} (must have labels) for {@value #DEFAULT_EPOCHS} epochs. */
    public static QualityEvaluator fit(ImageSet train, ImageSet heldOut, long seed, PrintStream log) {
        return fit(train, heldOut, seed, log, DEFAULT_EPOCHS);
    }

    /**
     * Trains the digit classifier on {@code train} (must have labels), caches the held-out
     * features' statistics and measures the floor; reports progress lines to {@code log}.
     */
    public static QualityEvaluator fit(ImageSet train, ImageSet heldOut, long seed, PrintStream log, int epochs) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(heldOut, "heldOut");
        Objects.requireNonNull(log, "log");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (!train.hasLabels()) {
            throw new IllegalArgumentException(train.source()
                    + ": the quality metric's classifier trains on labels, and this training set has none");
        }
        if (heldOut.channels() != train.channels() || heldOut.height() != train.height()
                || heldOut.width() != train.width()) {
            throw new IllegalArgumentException("held-out images are " + shape(heldOut) + " but training images are "
                    + shape(train));
        }
        int n = Math.min(Math.min(heldOut.size(), train.size()), MAX_SAMPLES);
        if (n < 2) {
            throw new IllegalArgumentException("the Fréchet distance needs at least 2 held-out and 2 training images, got "
                    + heldOut.size() + " and " + train.size());
        }

        DigitClassifier classifier = DigitClassifier.untrained(train.channels(), train.height(), train.width(),
                Seeds.derive(seed, Seeds.CLASSIFIER_INIT));
        classifier.train(train, epochs, seed, log);

        DigitClassifier.Inference heldOutInference = classifier.infer(heldOut, heldOut.size());
        double accuracy = accuracy(heldOutInference.predictedClasses(), heldOut);
        GaussianStats heldOutStats = GaussianStats.of(Arrays.copyOf(heldOutInference.features(), n));

        ImageSet floorImages = train.subset(Arrays.copyOf(ImageSet.permutation(train.size(), Seeds.derive(seed, Seeds.FLOOR_SAMPLE)), n));
        double floor = FrechetDistance.between(GaussianStats.of(classifier.infer(floorImages, n).features()),
                heldOutStats);

        QualityEvaluator evaluator = new QualityEvaluator(classifier, heldOutStats, n, floor, accuracy,
                SavedQuality.fingerprint(heldOut));
        log.printf("quality: %s; FD floor %.3f (%d training vs %d held-out images)%n",
                evaluator.featureExtractor(), floor, n, n);
        return evaluator;
    }

    /**
     * FD between the first {@link #sampleCount()} samples and the held-out images, and the class
     * histogram of those samples.
     *
     * @param samplesNchw generated images, float NCHW in [-1, 1], in the training images' shape
     * @param count       images in {@code samplesNchw}; at least {@link #sampleCount()}
     */
    public QualityReport evaluate(float[] samplesNchw, int count) {
        Objects.requireNonNull(samplesNchw, "samplesNchw");
        if (count < sampleCount) {
            throw new IllegalArgumentException("evaluate needs " + sampleCount + " samples (the n of the held-out "
                    + "statistics and the floor; FD is biased by n), got " + count);
        }
        DigitClassifier.Inference inference = classifier.infer(samplesNchw, sampleCount);
        double distance = FrechetDistance.between(GaussianStats.of(inference.features()), heldOut);
        return QualityReport.of(distance, inference.predictedClasses(), DigitClassifier.CLASSES);
    }

    /** FD between {@link #sampleCount()} real training images and the held-out ones: what a perfect generator would score. */
    public double floor() {
        return floor;
    }

    /** How many samples {@link #evaluate} uses (and needs), equal to the n of the held-out statistics and the floor. */
    public int sampleCount() {
        return sampleCount;
    }

    /** The feature network, for reports, e.g. "forger-digit-cnn-v2 (2 conv + dense 128, 98.9% held-out accuracy)". */
    public String featureExtractor() {
        String accuracy = Double.isNaN(heldOutAccuracy)
                ? "held-out set unlabelled"
                : String.format(Locale.ROOT, "%.1f%% held-out accuracy", heldOutAccuracy * 100);
        return extractor + " (2 conv + dense " + DigitClassifier.FEATURES + ", " + accuracy + ")";
    }

    /** The classifier's accuracy on the held-out images, in [0, 1]; NaN when they carry no labels. */
    public double heldOutAccuracy() {
        return heldOutAccuracy;
    }

    /** Writes the classifier and the held-out statistics into {@code dir}, so a resumed run needs no retraining. */
    public void save(Path dir) throws IOException {
        new SavedQuality(SavedQuality.FORMAT, DigitClassifier.NAME, classifier.channels(), classifier.height(),
                classifier.width(), sampleCount, Double.isNaN(heldOutAccuracy) ? null : heldOutAccuracy, floor,
                heldOutSha256, heldOut.mean(), heldOut.covariance()).write(dir);
        classifier.save(dir.resolve(CLASSIFIER_FILE));
    }

    /**
     * Reads what {@link #save} wrote. {@code heldOut} must be the set the evaluator was fitted with
     * (checked by fingerprint): the saved statistics and floor describe that set only.
     */
    public static QualityEvaluator load(Path dir, ImageSet heldOut) throws IOException {
        SavedQuality saved = SavedQuality.read(dir);
        Path file = dir.resolve(SavedQuality.FILE);
        if (!saved.extractor().equals(DigitClassifier.NAME)) {
            throw new IOException(file + ": feature extractor is " + saved.extractor() + ", this build has "
                    + DigitClassifier.NAME);
        }
        String fingerprint = SavedQuality.fingerprint(heldOut);
        if (!fingerprint.equals(saved.heldOutSha256())) {
            throw new IOException(file + ": held-out statistics were computed on another held-out set (sha256 "
                    + saved.heldOutSha256() + ", given " + heldOut.source() + " with sha256 " + fingerprint
                    + "); fit the evaluator again");
        }
        DigitClassifier classifier = DigitClassifier.load(dir.resolve(CLASSIFIER_FILE), saved.channels(),
                saved.height(), saved.width());
        return new QualityEvaluator(classifier, new GaussianStats(saved.heldOutMean(), saved.heldOutCovariance()),
                saved.sampleCount(), saved.floor(),
                saved.heldOutAccuracy() == null ? Double.NaN : saved.heldOutAccuracy(), fingerprint);
    }

    /**
     * A saved evaluator of any extractor version, as a fixed yardstick: its classifier and the held-out statistics
     * and floor it saved, whatever held-out set the caller has. This is how a generator of today is measured with the
     * extractor an older run reported with (e.g. {@code forger-digit-cnn-v1} in docs/mnist-dcgan/quality), so the two
     * distances compare; {@link #load} instead refuses another version or held-out set, because a resumed run must
     * keep measuring the same way.
     */
    public static QualityEvaluator loadReference(Path dir) throws IOException {
        SavedQuality saved = SavedQuality.read(dir);
        DigitClassifier classifier = DigitClassifier.load(dir.resolve(CLASSIFIER_FILE), saved.channels(),
                saved.height(), saved.width());
        return new QualityEvaluator(classifier, new GaussianStats(saved.heldOutMean(), saved.heldOutCovariance()),
                saved.sampleCount(), saved.floor(),
                saved.heldOutAccuracy() == null ? Double.NaN : saved.heldOutAccuracy(), saved.heldOutSha256(),
                saved.extractor());
    }

    /** SHA-256 of the held-out set whose statistics this evaluator compares with ({@link ImageSet#sha256()}). */
    public String heldOutSha256() {
        return heldOutSha256;
    }

    private static double accuracy(int[] predicted, ImageSet set) {
        if (!set.hasLabels()) {
            return Double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == set.labels()[i]) {
                correct++;
            }
        }
        return correct / (double) predicted.length;
    }

    private static String shape(ImageSet set) {
        return set.channels() + "x" + set.height() + "x" + set.width();
    }
}
