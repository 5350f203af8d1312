package dev.forger.service.robustness;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The transfer matrix as a picture: for every attack run (method, norm, ε) a group of bars, one per model — the
 * source's own success rate, then the share of its adversarial images that meet the goal on each target.
 */
public final class TransferChart {
    private static final int WIDTH = 1120;
    private static final int HEIGHT = 480;

    private TransferChart() {}

    /** @throws IllegalArgumentException when the report has no transfer matrix */
    public static BufferedImage draw(RobustnessReport report) {
        if (report.transfer() == null) {
            throw new IllegalArgumentException("the evaluation scored no other model");
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Transfer from " + report.model() + " (" + report.images().count() + " images, goal "
                        + report.goal() + ")").xAxisTitle("attack, norm, epsilon").yAxisTitle("success rate").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(45); // a sweep of several attacks has dozens of groups
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(12f));
        List<String> runs = new ArrayList<>();
        Map<String, List<Double>> byModel = new LinkedHashMap<>();
        for (RobustnessReport.TransferPoint p : report.transfer()) {
            runs.add(label(p));
            p.successRate().forEach((model, rate) -> byModel.computeIfAbsent(model, k -> new ArrayList<>()).add(rate));
        }
        if (runs.isEmpty()) {
            chart.addSeries("no results yet", List.of("-"), List.of(0.0));
        }
        byModel.forEach((model, rates) -> chart.addSeries(model.equals(report.model()) ? model + " (source)" : model,
                runs, rates));
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** "pgd L∞ 8/255": ε in grey levels when it is a whole number of them (the default sweep), else 4 digits. */
    static String label(RobustnessReport.TransferPoint p) {
        String norm = "linf".equals(p.norm()) ? "L∞" : "l2".equals(p.norm()) ? "L2" : p.norm();
        if (p.epsilon() == null) {
            return p.method() + " " + norm;
        }
        double levels = p.epsilon() * 255;
        String epsilon = Math.abs(levels - Math.rint(levels)) < 1e-9 && levels >= 1
                ? (long) Math.rint(levels) + "/255" : String.format(Locale.ROOT, "%.4g", p.epsilon());
        return p.method() + " " + norm + " " + epsilon;
    }
}
