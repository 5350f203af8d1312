package dev.forger.trainer.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GaussianStatsTest {

    @Test
    void meanAndUnbiasedCovarianceOfASmallCloud() {
        GaussianStats stats = GaussianStats.of(new double[][] {{1, 2}, {3, 6}, {5, 4}});

        assertThat(stats.mean()).containsExactly(3, 4);
        // deviations x: -2, 0, 2; y: -2, 2, 0; divided by n - 1 = 2
        assertThat(stats.covariance()[0]).containsExactly(4, 2);
        assertThat(stats.covariance()[1]).containsExactly(2, 4);
    }

    @Test
    void largeOffsetsDoNotCostPrecision() {
        Random random = new Random(3);
        double[][] features = new double[1000][1];
        for (double[] row : features) {
            row[0] = 1e8 + random.nextGaussian();
        }
        GaussianStats stats = GaussianStats.of(features);
        assertThat(stats.covariance()[0][0]).isCloseTo(1.0, within(0.1));
    }

    @Test
    void refusesTooFewOrRaggedRows() {
        assertThatThrownBy(() -> GaussianStats.of(new double[][] {{1, 2}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 samples");
        assertThatThrownBy(() -> GaussianStats.of(new double[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1 has 1 entries");
        assertThatThrownBy(() -> new GaussianStats(new double[2], new double[][] {{1, 0}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("covariance has 1 rows");
    }
}
