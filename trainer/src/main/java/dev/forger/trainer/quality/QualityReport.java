package dev.forger.trainer.quality;

/**
 * How good one batch of generated samples is.
 *
 * @param frechetDistance Fréchet distance between the samples' classifier features and the
 *                        held-out real images' (lower is better; compare with
 *                        {@link QualityEvaluator#floor()}, the value real images reach)
 * @param classHistogram  how many samples the classifier assigns to each digit 0..9
 * @param classesCovered  digits that received at least {@link #COVERAGE_PERCENT}% of the
 *                        samples: a collapsed generator covers few
 */
public record QualityReport(double frechetDistance, int[] classHistogram, int classesCovered) {

    /**
     * The share of samples a class needs to count as covered: 1%. One stray misclassified sample
     * must not count as a mode; a tenth of the uniform share (10%) still counts a rare but
     * present digit.
     */
    public static final int COVERAGE_PERCENT = 1;

    /** A report from the distance and the classifier's verdict on each sample. */
    static QualityReport of(double frechetDistance, int[] predictedClasses, int classes) {
        int[] histogram = new int[classes];
        for (int c : predictedClasses) {
            histogram[c]++;
        }
        int covered = 0;
        for (int count : histogram) {
            // count / n >= percent / 100, in integers so the boundary is exact
            if (count > 0 && count * 100L >= (long) COVERAGE_PERCENT * predictedClasses.length) {
                covered++;
            }
        }
        return new QualityReport(frechetDistance, histogram, covered);
    }
}
