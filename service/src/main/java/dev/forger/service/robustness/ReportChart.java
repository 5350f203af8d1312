package dev.forger.service.robustness;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * A report as a picture: success rate (left) and the discriminator's mean P(real) after the
 * attack (right) against epsilon, one line per attack and norm.
 */
public final class ReportChart {
    private static final int WIDTH = 560;
    private static final int HEIGHT = 400;

    private ReportChart() {}

    public static BufferedImage draw(RobustnessReport report) {
        BufferedImage left = BitmapEncoder.getBufferedImage(chart(report, "Attack success rate", "success rate",
                RobustnessReport.SweepPoint::successRate));
        BufferedImage right = BitmapEncoder.getBufferedImage(chart(report, "Discriminator after the attack",
                "mean P(real)", RobustnessReport.SweepPoint::meanRealProbabilityAfter));
        BufferedImage both = new BufferedImage(2 * WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = both.createGraphics();
        try {
            g.drawImage(left, 0, 0, null);
            g.drawImage(right, WIDTH, 0, null);
        } finally {
            g.dispose();
        }
        return both;
    }

    private static XYChart chart(RobustnessReport report, String title, String yTitle,
                                 ToDoubleFunction<RobustnessReport.SweepPoint> y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title + " (" + report.model() + ", "
                + report.images().count() + " images, goal " + report.goal() + ")")
                .xAxisTitle("epsilon (pixel units of [0, 1])").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(12f));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        Map<String, List<RobustnessReport.SweepPoint>> lines = new LinkedHashMap<>();
        for (RobustnessReport.SweepPoint point : report.sweep()) {
            lines.computeIfAbsent(point.method() + " " + point.norm(), k -> new java.util.ArrayList<>()).add(point);
        }
        if (lines.isEmpty()) {
            chart.addSeries("no results yet", new double[] {0}, new double[] {0});
        }
        lines.forEach((name, points) -> chart.addSeries(name,
                points.stream().mapToDouble(RobustnessReport.SweepPoint::epsilon).toArray(),
                points.stream().mapToDouble(y).toArray()));
        return chart;
    }
}
