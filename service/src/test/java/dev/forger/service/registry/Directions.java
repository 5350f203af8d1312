package dev.forger.service.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Checks a gradient graph against the float32 function it differentiates, along lines through a point x, by
 * the fundamental theorem of calculus: the central difference (f(x + hu) - f(x - hu)) / 2h is exactly the
 * mean of the directional derivative ∇f(x + tu)·u over t in [-h, h]; the mean is taken by the midpoint rule
 * from the gradient graph at {@value #POINTS} points of the segment.
 *
 * <p>Why not ∇f(x)·u against the central difference (the check's earlier form): the nets are only piecewise
 * smooth, and both spaces put kinks right at the points the service attacks. In latent space G's ReLUs change
 * sign densely: on the default bundle some lie within 1e-5 of z along the gradient. Measured with a float64
 * re-implementation of the nets, the derived latent gradient agrees with kink-free float64 differences to 7
 * digits, while float32 differences need steps of 1e-4 or more to rise above rounding, and those straddle 1 to
 * 57 kinks: the estimate moves by up to 5 % along the gradient and changes sign along random directions where
 * the derivative is small. In pixel space G's tanh saturates the background to exactly -1, so a classifier's
 * MaxPool sees hundreds of windows of equal values: f has no derivative at such an image, its gradient there is
 * the subgradient of the elements MaxPool reports (equal, to 2e-7, to a float64 backward pass through those
 * indices), and ∇f(x)·u is 3.82 where the central difference and the mean derivative around x are both 3.66
 * (the classifier bundle's first pixel sample, along the gradient). Comparing the difference with the
 * gradient on the same segment takes kinks and ties out of the question (they have measure zero on the
 * segment; x itself is not sampled) and allows a step large enough for float32 rounding not to matter.
 *
 * <p>Tolerance, from the two errors left: the midpoint rule errs by at most half a cell times the
 * derivative's variation per cell (a jump at a kink counts fully), estimated from the samples; and the float32
 * forward pass rounds each loss by at most {@value #LOSS_NOISE} (1 + |f|) (measured against a float64
 * re-evaluation of the default bundle's nets: 1e-6 to 4.4e-6 for losses of 0.4 to 15, a 4- to 14-fold margin).
 * Along the gradient, where the derivative is largest, the tolerance must stay under
 * {@value #MAX_RELATIVE_TOLERANCE} of the difference, so that a gradient a few percent off cannot pass
 * (measured: at most 1.1 % on the default bundle, whose gradient scaled by 1.03 fails on every sample).
 */
final class Directions {
    /** Half the segment: float32 rounding of f stays below 1e-3 of the difference along the gradient. */
    static final double STEP = 1e-2;
    static final int POINTS = 64;
    /** The gradient's direction and two random ones. */
    static final int DIRECTIONS = 3;
    static final double LOSS_NOISE = 4e-6;
    static final double MAX_RELATIVE_TOLERANCE = 0.02;

    private Directions() {}

    /**
     * What one segment measured, each per unit of t (divided by 2h): the central difference, the mean of the
     * derived directional derivative over the segment, and the tolerance on their difference.
     */
    record Segment(double centralDifference, double meanDerivative, double tolerance) {
        double error() {
            return Math.abs(centralDifference - meanDerivative);
        }
    }

    /**
     * Along the gradient at x and two random directions, the central difference of f must equal the mean
     * derived directional derivative within the tolerance.
     *
     * @param gradients the gradient graph: n points packed one after another -> their n gradients, packed alike
     * @param f         the function: n packed points -> its n values, in double from the float32 outputs
     */
    static void check(String what, float[] x, Function<float[], float[]> gradients, Function<float[], double[]> f,
            SplittableRandom random) {
        float[] g = gradients.apply(x);
        double norm = norm(g);
        assertThat(norm).as(what + ": gradient norm").isGreaterThan(0);
        for (int d = 0; d < DIRECTIONS; d++) {
            double[] u = d == 0 ? unit(g) : randomUnit(x.length, random);
            Segment s = measure(x, u, gradients, f);
            String seen = String.format("%s, direction %d: central difference %.6g, mean derived derivative %.6g,"
                    + " tolerance %.3g, derivative at x %.6g", what, d, s.centralDifference(), s.meanDerivative(),
                    s.tolerance(), dot(g, u));
            System.out.println("directions " + seen);
            assertThat(s.error()).as(seen).isLessThanOrEqualTo(s.tolerance());
            if (d == 0) {
                assertThat(s.tolerance()).as("tolerance along the gradient, " + seen)
                        .isLessThanOrEqualTo(MAX_RELATIVE_TOLERANCE * Math.abs(s.centralDifference()));
            }
        }
    }

    /** The segment x ± {@link #STEP} u. */
    static Segment measure(float[] x, double[] u, Function<float[], float[]> gradients, Function<float[], double[]> f) {
        int n = x.length;
        float[] ends = new float[2 * n];
        float[] inside = new float[POINTS * n];
        for (int j = 0; j < n; j++) {
            ends[j] = (float) (x[j] + STEP * u[j]);
            ends[n + j] = (float) (x[j] - STEP * u[j]);
        }
        for (int k = 0; k < POINTS; k++) {
            double t = STEP * (2.0 * (k + 0.5) / POINTS - 1);
            for (int j = 0; j < n; j++) {
                inside[k * n + j] = (float) (x[j] + t * u[j]);
            }
        }
        double[] values = f.apply(ends);
        float[] g = gradients.apply(inside);
        double[] derivative = new double[POINTS];
        double sum = 0;
        double variation = 0;
        for (int k = 0; k < POINTS; k++) {
            for (int j = 0; j < n; j++) {
                derivative[k] += g[k * n + j] * u[j];
            }
            sum += derivative[k];
            if (k > 0) {
                variation += Math.abs(derivative[k] - derivative[k - 1]);
            }
        }
        double central = (values[0] - values[1]) / (2 * STEP);
        double quadrature = variation / (2 * POINTS);
        double rounding = LOSS_NOISE * (2 + Math.abs(values[0]) + Math.abs(values[1])) / (2 * STEP);
        return new Segment(central, sum / POINTS, quadrature + rounding);
    }

    static double dot(float[] g, double[] u) {
        double s = 0;
        for (int j = 0; j < g.length; j++) {
            s += g[j] * u[j];
        }
        return s;
    }

    static double[] unit(float[] g) {
        double norm = norm(g);
        double[] u = new double[g.length];
        for (int j = 0; j < g.length; j++) {
            u[j] = g[j] / norm;
        }
        return u;
    }

    private static double[] randomUnit(int n, SplittableRandom random) {
        double[] u = new double[n];
        double s = 0;
        for (int j = 0; j < n; j++) {
            u[j] = random.nextGaussian();
            s += u[j] * u[j];
        }
        for (int j = 0; j < n; j++) {
            u[j] /= Math.sqrt(s);
        }
        return u;
    }

    private static double norm(float[] g) {
        double s = 0;
        for (float v : g) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }
}
