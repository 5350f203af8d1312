package dev.forger.trainer.quality;

import java.util.Objects;

/**
 * The mean and covariance of a cloud of feature vectors: all that the Fréchet distance looks at.
 *
 * <p>The covariance is the unbiased sample covariance (divided by n − 1), the convention of the
 * reference FID implementations, so numbers stay comparable with theirs.
 *
 * @param mean       the feature means, length d
 * @param covariance the d×d covariance matrix (symmetric, positive semi-definite)
 */
public record GaussianStats(double[] mean, double[][] covariance) {

    public GaussianStats {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(covariance, "covariance");
        if (covariance.length != mean.length) {
            throw new IllegalArgumentException("covariance has " + covariance.length
                    + " rows but the mean has " + mean.length + " entries");
        }
        for (int i = 0; i < covariance.length; i++) {
            if (covariance[i].length != mean.length) {
                throw new IllegalArgumentException("covariance row " + i + " has " + covariance[i].length
                        + " entries, expected " + mean.length);
            }
        }
    }

    /** The dimension d of the features. */
    public int dimension() {
        return mean.length;
    }

    /** Statistics of the given features; rows are samples, columns are features. Needs ≥ 2 rows. */
    public static GaussianStats of(double[][] features) {
        Objects.requireNonNull(features, "features");
        int n = features.length;
        if (n < 2) {
            throw new IllegalArgumentException("a covariance needs at least 2 samples, got " + n);
        }
        int d = features[0].length;
        double[] mean = new double[d];
        for (int r = 0; r < n; r++) {
            if (features[r].length != d) {
                throw new IllegalArgumentException("feature row " + r + " has " + features[r].length
                        + " entries, row 0 has " + d);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += features[r][j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        // centred two-pass accumulation: one-pass E[xy] − E[x]E[y] loses digits on large activations
        double[][] cov = new double[d][d];
        double[] centred = new double[d];
        for (double[] row : features) {
            for (int j = 0; j < d; j++) {
                centred[j] = row[j] - mean[j];
            }
            for (int i = 0; i < d; i++) {
                double ci = centred[i];
                if (ci == 0) {
                    continue;
                }
                double[] covRow = cov[i];
                for (int j = i; j < d; j++) {
                    covRow[j] += ci * centred[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v = cov[i][j] / (n - 1);
                cov[i][j] = v;
                cov[j][i] = v;
            }
        }
        return new GaussianStats(mean, cov);
    }
}
