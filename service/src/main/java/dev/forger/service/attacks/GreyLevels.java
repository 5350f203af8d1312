package dev.forger.service.attacks;

import dev.forger.service.imaging.Pixels;
import java.util.Arrays;

/**
 * The 8-bit side of an attack that returns images of 256 grey levels ({@code quantize=true}): the originals
 * become their 8-bit versions, and each result is rounded to the nearest grey levels that still lie inside
 * the ε-ball around them. Both ends are then on the grid, so a perturbation is a whole number of levels per
 * pixel and its norm is measured exactly ({@link PerturbationNorms}): ε is a bound on what is returned, not
 * on a float that the rounding moves afterwards.
 */
final class GreyLevels {
    private GreyLevels() {}

    /** A rounded copy. */
    static float[] rounded(float[] x) {
        float[] copy = x.clone();
        Pixels.roundToGreyLevels(copy);
        return copy;
    }

    /**
     * The most grey levels a pixel may move under an L∞ bound of {@code epsilon} (pixel units): the largest k
     * with k/255 ≤ ε, judged in the double arithmetic that reports it. 0 below one level (1/255 ≈ 0.00392):
     * then no 8-bit image but the original lies in the ball.
     */
    static int within(double epsilon) {
        int k = (int) Math.floor(epsilon * 255);
        while (k > 0 && k / 255.0 > epsilon) {
            k--;
        }
        while ((k + 1) / 255.0 <= epsilon) {
            k++;
        }
        return Math.min(k, 255);
    }

    /**
     * Rounds each image of {@code x} to the grey levels nearest to it that lie inside the ball of radius
     * {@code epsilon} (pixel units) around its original, which must be on the grid itself.
     * <ul>
     *   <li>L∞: each pixel to its nearest level, clamped to the original's level ± {@link #within(double)}.</li>
     *   <li>L2: each pixel to its nearest level; if that leaves the ball, the pixels that rounding moved
     *       away from the original (the ones whose rounding overshot the most first) round towards it
     *       instead, until the image is back inside. Rounding every pixel towards its original never
     *       lengthens the perturbation, so a point inside is always found.</li>
     * </ul>
     */
    static void roundInsideBall(float[] x, float[] originals, Norm norm, double epsilon, int imageSize) {
        if (norm == Norm.LINF) {
            int k = within(epsilon);
            for (int j = 0; j < x.length; j++) {
                int o = Pixels.toPixel(originals[j]);
                int p = Math.min(Math.max(Pixels.toPixel(x[j]), o - k), o + k);
                x[j] = Pixels.toModel(p);
            }
            return;
        }
        for (int from = 0; from < x.length; from += imageSize) {
            roundInsideL2(x, originals, from, imageSize, epsilon);
        }
    }

    private static void roundInsideL2(float[] x, float[] originals, int from, int size, double epsilon) {
        int[] original = new int[size];
        int[] delta = new int[size];
        double[] overshoot = new double[size];
        long squares = 0;
        for (int j = 0; j < size; j++) {
            original[j] = Pixels.toPixel(originals[from + j]);
            double exact = ((double) x[from + j] - originals[from + j]) * 127.5; // in grey levels
            delta[j] = Pixels.toPixel(x[from + j]) - original[j];
            overshoot[j] = Math.abs(delta[j]) - Math.abs(exact);
            squares += (long) delta[j] * delta[j];
        }
        if (PerturbationNorms.l2OfLevels(squares) > epsilon) {
            Integer[] order = new Integer[size];
            for (int j = 0; j < size; j++) {
                order[j] = j;
            }
            Arrays.sort(order, (a, b) -> Double.compare(overshoot[b], overshoot[a]));
            for (int k = 0; k < size && PerturbationNorms.l2OfLevels(squares) > epsilon; k++) {
                int j = order[k];
                if (overshoot[j] > 0 && delta[j] != 0) {
                    squares -= 2L * Math.abs(delta[j]) - 1;
                    delta[j] -= Integer.signum(delta[j]);
                }
            }
            while (PerturbationNorms.l2OfLevels(squares) > epsilon) {
                // only float rounding of the attack's own projection gets here: shorten the longest move
                int longest = 0;
                for (int j = 1; j < size; j++) {
                    longest = Math.abs(delta[j]) > Math.abs(delta[longest]) ? j : longest;
                }
                squares -= 2L * Math.abs(delta[longest]) - 1;
                delta[longest] -= Integer.signum(delta[longest]);
            }
        }
        for (int j = 0; j < size; j++) {
            x[from + j] = Pixels.toModel(original[j] + delta[j]);
        }
    }
}
