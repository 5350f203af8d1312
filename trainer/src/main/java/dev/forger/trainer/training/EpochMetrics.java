package dev.forger.trainer.training;

import java.util.Arrays;
import java.util.Objects;

/**
 * One row of {@code metrics.csv}: what one training epoch did.
 *
 * <p>The quality fields are null in epochs where quality was not measured (it is costly, so the
 * loop measures it only every few epochs).
 *
 * @param epoch           the epoch number
 * @param dLoss           mean discriminator loss over the epoch
 * @param gLoss           mean generator loss over the epoch
 * @param dReal           mean D(x) on real images, a probability
 * @param dFake           mean D(G(z)) on generated images, a probability
 * @param seconds         wall-clock time of the epoch
 * @param imagesPerSecond real images consumed per second
 * @param frechetDistance Fréchet distance between generated and real features, or null
 * @param frechetFloor    the same distance between two halves of the real data (what a perfect
 *                        generator would score), or null
 * @param classesCovered  how many digit classes the generated samples cover, or null
 * @param classHistogram  generated samples per class, or null
 */
public record EpochMetrics(int epoch, double dLoss, double gLoss, double dReal, double dFake,
                           double seconds, double imagesPerSecond,
                           Double frechetDistance, Double frechetFloor, Integer classesCovered,
                           int[] classHistogram) {

    public EpochMetrics {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
        }
        // copied so that a row, once made, cannot change under a writer or a plot
        classHistogram = classHistogram == null ? null : classHistogram.clone();
    }

    /** Whether this epoch carries quality measurements. */
    public boolean hasQuality() {
        return frechetDistance != null || frechetFloor != null || classesCovered != null || classHistogram != null;
    }

    @Override
    public int[] classHistogram() {
        return classHistogram == null ? null : classHistogram.clone();
    }

    // A record compares arrays by identity; rows are compared by content (CSV round trips rely on it).
    @Override
    public boolean equals(Object o) {
        return o instanceof EpochMetrics m
                && epoch == m.epoch
                && Double.compare(dLoss, m.dLoss) == 0
                && Double.compare(gLoss, m.gLoss) == 0
                && Double.compare(dReal, m.dReal) == 0
                && Double.compare(dFake, m.dFake) == 0
                && Double.compare(seconds, m.seconds) == 0
                && Double.compare(imagesPerSecond, m.imagesPerSecond) == 0
                && Objects.equals(frechetDistance, m.frechetDistance)
                && Objects.equals(frechetFloor, m.frechetFloor)
                && Objects.equals(classesCovered, m.classesCovered)
                && Arrays.equals(classHistogram, m.classHistogram);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, dLoss, gLoss, dReal, dFake, seconds, imagesPerSecond,
                frechetDistance, frechetFloor, classesCovered) * 31 + Arrays.hashCode(classHistogram);
    }

    @Override
    public String toString() {
        return "EpochMetrics[epoch=" + epoch + ", dLoss=" + dLoss + ", gLoss=" + gLoss + ", dReal=" + dReal
                + ", dFake=" + dFake + ", seconds=" + seconds + ", imagesPerSecond=" + imagesPerSecond
                + ", frechetDistance=" + frechetDistance + ", frechetFloor=" + frechetFloor
                + ", classesCovered=" + classesCovered + ", classHistogram=" + Arrays.toString(classHistogram) + "]";
    }
}
