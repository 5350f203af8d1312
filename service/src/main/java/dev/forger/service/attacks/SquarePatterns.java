package dev.forger.service.attacks;

import java.util.SplittableRandom;

/**
 * The Square Attack's L2 building block (Andriushchenko et al. 2020, section 3.2): a square whose two
 * halves carry opposite "pseudo-Gaussian" bumps — concentric rings weighted 1/(ring + 1)², unit L2 norm —
 * transposed at random.
 */
final class SquarePatterns {
    private SquarePatterns() {}

    /** An s×s pattern (row-major) of unit L2 norm. */
    static double[] metaPseudoGaussian(int s, SplittableRandom random) {
        double[] pattern = new double[s * s];
        int top = s / 2;
        addRings(pattern, s, 0, top, 1);
        addRings(pattern, s, top, s - top, -1);
        normalise(pattern);
        if (random.nextBoolean()) {
            for (int r = 0; r < s; r++) {
                for (int c = r + 1; c < s; c++) {
                    double t = pattern[r * s + c];
                    pattern[r * s + c] = pattern[c * s + r];
                    pattern[c * s + r] = t;
                }
            }
        }
        return pattern;
    }

    /** Writes a unit-norm bump of {@code rows}×s, centred in that band, times {@code sign}, into rows [from, from + rows). */
    private static void addRings(double[] pattern, int s, int from, int rows, int sign) {
        if (rows == 0) {
            return;
        }
        double[] band = new double[rows * s];
        int centreRow = rows / 2;
        int centreCol = s / 2;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < s; c++) {
                // ring index: how many centred squares grown from the centre do not yet contain (r, c)
                int ring = Math.max(Math.abs(r - centreRow), Math.abs(c - centreCol));
                double weight = 0;
                int rings = Math.max(rows / 2 + 1, s / 2 + 1);
                for (int k = ring; k < rings; k++) {
                    weight += 1.0 / ((k + 1) * (k + 1)); // every larger ring's square covers (r, c) too
                }
                band[r * s + c] = weight;
            }
        }
        normalise(band);
        for (int j = 0; j < band.length; j++) {
            pattern[from * s + j] = sign * band[j];
        }
    }

    static void normalise(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        double norm = Math.sqrt(sum);
        if (norm > 0) {
            for (int j = 0; j < v.length; j++) {
                v[j] /= norm;
            }
        }
    }
}
