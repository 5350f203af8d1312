package dev.forger.service.attacks;

import dev.forger.service.imaging.Pixels;

/**
 * The norms of a perturbation in pixel units of [0, 1], computed exactly as they are reported, so that the
 * runner's guarantee (norm ≤ ε) and the number a client reads are one and the same computation. Images of 8-bit
 * grey levels are measured in whole levels (k levels are k/255: no float rounding of the model values in
 * between); float images from their model values in double precision.
 */
final class PerturbationNorms {
    private PerturbationNorms() {}

    /** max |x − o| over one image, pixel units. */
    static double linf(float[] x, float[] originals, int from, int size, boolean greyLevels) {
        return linf(x, originals, from, size, greyLevels, 2.0);
    }

    /** max |x − o| over one point, in the units of a space with {@code unitsPerReported} model units per unit. */
    static double linf(float[] x, float[] originals, int from, int size, boolean greyLevels, double unitsPerReported) {
        if (greyLevels) {
            int max = 0;
            for (int j = from, end = from + size; j < end; j++) {
                max = Math.max(max, Math.abs(Pixels.toPixel(x[j]) - Pixels.toPixel(originals[j])));
            }
            return max / 255.0;
        }
        double max = 0;
        for (int j = from, end = from + size; j < end; j++) {
            max = Math.max(max, Math.abs((double) x[j] - originals[j]));
        }
        return max / unitsPerReported;
    }

    /** ‖x − o‖₂ over one image, pixel units. */
    static double l2(float[] x, float[] originals, int from, int size, boolean greyLevels) {
        return l2(x, originals, from, size, greyLevels, 2.0);
    }

    /** ‖x − o‖₂ over one point, in the units of a space with {@code unitsPerReported} model units per unit. */
    static double l2(float[] x, float[] originals, int from, int size, boolean greyLevels, double unitsPerReported) {
        if (greyLevels) {
            long squares = 0;
            for (int j = from, end = from + size; j < end; j++) {
                long d = Pixels.toPixel(x[j]) - Pixels.toPixel(originals[j]);
                squares += d * d;
            }
            return l2OfLevels(squares);
        }
        double sum = 0;
        for (int j = from, end = from + size; j < end; j++) {
            double d = (double) x[j] - originals[j];
            sum += d * d;
        }
        return Math.sqrt(sum) / unitsPerReported;
    }

    /** The L2 norm in pixel units of a perturbation whose squared grey-level steps sum to {@code squares}. */
    static double l2OfLevels(long squares) {
        return Math.sqrt(squares) / 255.0;
    }

    /** The norm an attack of {@code norm} is bounded in. */
    static double of(Norm norm, float[] x, float[] originals, int from, int size, boolean greyLevels) {
        return of(norm, x, originals, from, size, greyLevels, 2.0);
    }

    static double of(Norm norm, float[] x, float[] originals, int from, int size, boolean greyLevels,
                     double unitsPerReported) {
        return norm == Norm.LINF ? linf(x, originals, from, size, greyLevels, unitsPerReported)
                : l2(x, originals, from, size, greyLevels, unitsPerReported);
    }
}
