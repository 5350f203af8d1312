package dev.forger.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EpochMetricsTest {

    private static EpochMetrics withHistogram(int[] histogram) {
        return new EpochMetrics(4, 1.0, 2.0, 0.6, 0.3, 80.0, 100.0, 12.5, 3.0, 10, histogram);
    }

    @Test
    void rowsWithEqualContentAreEqual() {
        EpochMetrics a = withHistogram(new int[] {1, 2, 3});
        EpochMetrics b = withHistogram(new int[] {1, 2, 3});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(withHistogram(new int[] {1, 2, 4}));
        assertThat(a).isNotEqualTo(withHistogram(null));
        assertThat(a.toString()).contains("classHistogram=[1, 2, 3]");
    }

    @Test
    void nanLossesCompareEqualSoDivergedRowsRoundTrip() {
        EpochMetrics a = new EpochMetrics(1, Double.NaN, 1, 0, 0, 1, 1, null, null, null, null);
        EpochMetrics b = new EpochMetrics(1, Double.NaN, 1, 0, 0, 1, 1, null, null, null, null);

        assertThat(a).isEqualTo(b);
    }

    @Test
    void theHistogramCannotBeChangedFromOutside() {
        int[] counts = {5, 5};
        EpochMetrics m = withHistogram(counts);
        counts[0] = 99;
        m.classHistogram()[1] = 99;

        assertThat(m.classHistogram()).containsExactly(5, 5);
    }

    @Test
    void qualityIsPresentOnlyWhenSomethingWasMeasured() {
        assertThat(withHistogram(null).hasQuality()).isTrue();
        assertThat(new EpochMetrics(1, 1, 1, 0.5, 0.5, 1, 1, null, null, null, null).hasQuality()).isFalse();
    }

    @Test
    void aNegativeEpochIsRefused() {
        assertThatThrownBy(() -> new EpochMetrics(-1, 1, 1, 0.5, 0.5, 1, 1, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch");
    }
}
