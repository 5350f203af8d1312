package dev.forger.service.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link Directions} on a function with the structure that broke the earlier check: f(x) = Σ_w c_w max(x_2w,
 * x_2w+1) (pairs of MaxPool candidates weighted by downstream gradients of either sign), at a point where every
 * pair ties, as MaxPool windows tie on a generated digit's saturated background. Its gradient there, like ONNX
 * Runtime's MaxPool, routes each c_w to the first candidate: a valid subgradient whose derivative along itself
 * is twice the central difference, at every step.
 */
class DirectionsTest {
    private static final int PAIRS = 40;
    private final double[] weights = new double[PAIRS];
    private final float[] tied = new float[2 * PAIRS];

    DirectionsTest() {
        SplittableRandom random = new SplittableRandom(7);
        for (int w = 0; w < PAIRS; w++) {
            weights[w] = random.nextDouble(-1, 1);
            tied[2 * w] = tied[2 * w + 1] = (float) random.nextDouble(-1, 1);
        }
    }

    private double[] f(float[] points) {
        int n = points.length / tied.length;
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            for (int w = 0; w < PAIRS; w++) {
                values[i] += weights[w] * Math.max(points[i * tied.length + 2 * w], points[i * tied.length + 2 * w + 1]);
            }
        }
        return values;
    }

    /** The gradient of the candidate a first-index argmax picks, times {@code scale}. */
    private Function<float[], float[]> gradients(double scale) {
        return points -> {
            float[] g = new float[points.length];
            for (int at = 0; at < points.length; at += 2) {
                int pick = points[at + 1] > points[at] ? at + 1 : at;
                g[pick] = (float) (scale * weights[at % tied.length / 2]);
            }
            return g;
        };
    }

    @Test
    void aSubgradientAtTiesMissesTheCentralDifferenceButEqualsTheMeanDerivativeAroundIt() {
        float[] g = gradients(1).apply(tied);
        Directions.Segment s = Directions.measure(tied, Directions.unit(g), gradients(1), this::f);
        double atX = Directions.dot(g, Directions.unit(g));
        // the earlier check compared the derivative at x with the central difference: off by half here
        assertThat(Math.abs(atX - s.centralDifference())).isGreaterThan(0.4 * atX);
        assertThat(s.error()).isLessThanOrEqualTo(s.tolerance());
        assertThat(s.tolerance()).isLessThan(Directions.MAX_RELATIVE_TOLERANCE * Math.abs(s.centralDifference()));
    }

    @Test
    void passesTheRightGradientAtTiesInEveryDirection() {
        Directions.check("pairs", tied, gradients(1), this::f, new SplittableRandom(1));
    }

    @Test
    void catchesAGradientThreePercentOff() {
        assertThatThrownBy(() -> Directions.check("pairs", tied, gradients(1.03), this::f, new SplittableRandom(1)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("direction 0");
    }
}
