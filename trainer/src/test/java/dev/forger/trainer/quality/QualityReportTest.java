package dev.forger.trainer.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class QualityReportTest {

    @Test
    void countsEachClassAndCoversThoseWithAtLeastOnePercent() {
        int[] predicted = new int[200];
        Arrays.fill(predicted, 0, 150, 7);
        Arrays.fill(predicted, 150, 197, 2);
        predicted[197] = 3; // 2 of 200 = 1%: covered
        predicted[198] = 3;
        predicted[199] = 4; // 1 of 200 = 0.5%: a stray sample, not a mode

        QualityReport report = QualityReport.of(12.5, predicted, 10);

        assertThat(report.frechetDistance()).isEqualTo(12.5);
        assertThat(report.classHistogram()).containsExactly(0, 0, 47, 2, 1, 0, 0, 150, 0, 0);
        assertThat(report.classesCovered()).isEqualTo(3);
    }

    @Test
    void evenlySpreadSamplesCoverEveryClass() {
        int[] predicted = new int[1000];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = i % 10;
        }
        assertThat(QualityReport.of(0, predicted, 10).classesCovered()).isEqualTo(10);
    }
}
