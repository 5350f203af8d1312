package dev.forger.service.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransferChartTest {

    @Test
    void groupsAreLabelledInGreyLevelsWhenEpsilonIsAWholeNumberOfThem() {
        assertThat(TransferChart.label(point("pgd", "linf", 8 / 255.0))).isEqualTo("pgd L∞ 8/255");
        assertThat(TransferChart.label(point("apgd", "l2", 0.5))).isEqualTo("apgd L2 0.5000");
        assertThat(TransferChart.label(point("fgsm", "linf", 0.3))).isEqualTo("fgsm L∞ 0.3000");
        assertThat(TransferChart.label(point("deepfool", "l2", null))).isEqualTo("deepfool L2");
    }

    @Test
    void aSweepOfFourAttacksAtFiveEpsilonsIsDrawnWithEveryModelAsASeries() {
        List<RobustnessReport.TransferPoint> points = new ArrayList<>();
        for (String method : List.of("auto", "apgd", "apgd-margin", "square")) {
            for (int levels : new int[] {1, 2, 4, 8, 16}) {
                points.add(point(method, "linf", levels / 255.0));
            }
        }
        RobustnessReport report = new RobustnessReport("source", new RobustnessReport.ImageSource("generated", 64, 7L),
                "flip", List.of(), List.of(), List.of(), List.of(), null, null, null, points);
        BufferedImage chart = TransferChart.draw(report);
        assertThat(chart.getWidth()).isEqualTo(1120);
        assertThat(chart.getHeight()).isEqualTo(480);
    }

    private static RobustnessReport.TransferPoint point(String method, String norm, Double epsilon) {
        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put("source", 0.9);
        rates.put("other", 0.1);
        return new RobustnessReport.TransferPoint(method, norm, epsilon, rates);
    }
}
