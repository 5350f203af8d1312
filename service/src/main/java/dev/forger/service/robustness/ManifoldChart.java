package dev.forger.service.robustness;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The on/off-manifold report as a picture: three cumulative distributions side by side, each the share of the
 * digits whose verdict has changed by a given budget — off the manifold against the pixel ε, on it against the
 * latent δ, and both against the pixel L2 distance of the changed image from G(z), the one axis the two threat
 * models share. One line per verdict (the discriminator's flip; the classifier's digit, with a classifier).
 */
public final class ManifoldChart {
    private static final int WIDTH = 460;
    private static final int HEIGHT = 380;

    private ManifoldChart() {}

    public static BufferedImage draw(ManifoldReport report) {
        List<ManifoldReport.Search> pixel = report.searches().stream().filter(s -> s.space().equals("pixel")).toList();
        List<ManifoldReport.Search> latent = report.searches().stream().filter(s -> s.space().equals("latent")).toList();
        String norm = report.norm().equals("linf") ? "L∞" : "L2";
        BufferedImage[] panels = {
                BitmapEncoder.getBufferedImage(chart("Off the manifold: pixel " + norm + " ε", "ε (pixel units of [0, 1])",
                        pixel, ManifoldReport.Search::budgets, s -> goalName(s))),
                BitmapEncoder.getBufferedImage(chart("On the manifold: latent " + norm + " δ", "δ (latent units)",
                        latent, ManifoldReport.Search::budgets, s -> goalName(s))),
                BitmapEncoder.getBufferedImage(chart("Both, by the pixel distance of the change", "pixel L2 from G(z)",
                        report.searches(), ManifoldReport.Search::pixelL2, s -> s.space() + ", " + goalName(s)))};
        BufferedImage all = new BufferedImage(3 * WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = all.createGraphics();
        try {
            for (int i = 0; i < panels.length; i++) {
                g.drawImage(panels[i], i * WIDTH, 0, null);
            }
        } finally {
            g.dispose();
        }
        return all;
    }

    private static String goalName(ManifoldReport.Search s) {
        return s.goal().equals("class-change") ? "digit changes" : "D flips";
    }

    private static XYChart chart(String title, String xTitle, List<ManifoldReport.Search> searches,
                                 Function<ManifoldReport.Search, List<Double>> values,
                                 Function<ManifoldReport.Search, String> name) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle("share of digits changed").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(12f));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        // XChart puts the ticks of equally spaced values (shares are multiples of 1/count) at the values themselves:
        // percentages keep those many labels short
        chart.getStyler().setYAxisDecimalPattern("0%");
        boolean any = false;
        for (ManifoldReport.Search s : searches) {
            double[][] curve = cumulative(values.apply(s));
            if (curve[0].length > 0) {
                chart.addSeries(name.apply(s), curve[0], curve[1]).setMarker(SeriesMarkers.NONE);
                any = true;
            }
        }
        if (!any) {
            chart.addSeries("nothing changed yet", new double[] {0}, new double[] {0});
        }
        return chart;
    }

    /**
     * The empirical cumulative distribution as a step line: at each found value the share of all images (the ones
     * not changed within the bound included, so the line ends at the success rate) changed at or below it.
     */
    static double[][] cumulative(List<Double> values) {
        double[] found = values.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).sorted().toArray();
        int n = values.size();
        double[] x = new double[2 * found.length + 1];
        double[] y = new double[2 * found.length + 1];
        if (found.length == 0) {
            return new double[][] {new double[0], new double[0]};
        }
        x[0] = 0;
        y[0] = 0;
        for (int i = 0; i < found.length; i++) {
            x[2 * i + 1] = found[i];
            y[2 * i + 1] = (double) i / n;
            x[2 * i + 2] = found[i];
            y[2 * i + 2] = (double) (i + 1) / n;
        }
        return new double[][] {Arrays.copyOf(x, x.length), y};
    }
}
