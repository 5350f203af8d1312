package dev.forger.trainer.report;

import dev.forger.trainer.training.EpochMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code curves.png}: the training curves of a run, one panel above the other.
 *
 * <ol>
 *   <li>D and G loss per epoch;</li>
 *   <li>D(x) and D(G(z)) per epoch, on a fixed 0..1 axis, the quickest way to see which net is winning;</li>
 *   <li>the Fréchet distance in the epochs where it was measured, with the real-vs-real floor dashed
 *       (only when some epoch measured it).</li>
 * </ol>
 *
 * <p>Drawn by XChart, which renders into a {@code BufferedImage} and so needs no display.
 */
public final class CurvesPlot {

    /** The file's name in a run directory. */
    public static final String FILE_NAME = "curves.png";

    public static final int PANEL_WIDTH = 900;
    public static final int PANEL_HEIGHT = 320;

    private static final Color D_COLOUR = new Color(0x1f77b4);
    private static final Color G_COLOUR = new Color(0xd62728);
    private static final Color FLOOR_COLOUR = new Color(0x7f7f7f);

    static {
        // XChart encodes through ImageIO; its disk cache only slows a PNG down
        ImageIO.setUseCache(false);
    }

    private CurvesPlot() {
    }

    /** Writes the panels for {@code rows} as one PNG, replacing {@code file} atomically. */
    public static void writePng(List<EpochMetrics> rows, Path file) throws IOException {
        List<XYChart> panels = panels(rows);
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(panels, panels.size(), 1, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /** The panels {@link #writePng} draws, top to bottom. */
    static List<XYChart> panels(List<EpochMetrics> rows) {
        if (rows == null || rows.isEmpty()) {
            throw new IllegalArgumentException("no epochs to plot");
        }
        List<XYChart> panels = new ArrayList<>(3);

        XYChart losses = panel("Loss", "loss");
        line(losses, "D loss", rows, EpochMetrics::dLoss, D_COLOUR, SeriesLines.SOLID);
        line(losses, "G loss", rows, EpochMetrics::gLoss, G_COLOUR, SeriesLines.SOLID);
        panels.add(losses);

        XYChart verdicts = panel("Discriminator verdicts", "mean D output");
        verdicts.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        line(verdicts, "D(x), real", rows, EpochMetrics::dReal, D_COLOUR, SeriesLines.SOLID);
        line(verdicts, "D(G(z)), generated", rows, EpochMetrics::dFake, G_COLOUR, SeriesLines.SOLID);
        panels.add(verdicts);

        boolean measured = rows.stream().anyMatch(r -> r.frechetDistance() != null || r.frechetFloor() != null);
        if (measured) {
            XYChart quality = panel("Sample quality", "Fréchet distance");
            line(quality, "Fréchet distance", rows, EpochMetrics::frechetDistance, G_COLOUR, SeriesLines.SOLID);
            line(quality, "floor (real vs real)", rows, EpochMetrics::frechetFloor, FLOOR_COLOUR, SeriesLines.DASH_DASH);
            panels.add(quality);
        }
        return panels;
    }

    private static XYChart panel(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xdddddd));
        styler.setXAxisDecimalPattern("#0");
        // XChart labels a one-epoch axis with the values themselves, at full double precision
        styler.setYAxisDecimalPattern("#,##0.###");
        // markers, so that a run of one epoch still shows its point
        styler.setMarkerSize(5);
        return chart;
    }

    /**
     * Adds one series of the epochs where {@code value} is present and finite: a diverged epoch (NaN
     * loss) or an unmeasured one leaves a hole rather than breaking the axis.
     */
    private static void line(XYChart chart, String name, List<EpochMetrics> rows,
                             Function<EpochMetrics, Double> value, Color colour, BasicStroke stroke) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (EpochMetrics row : rows) {
            Double y = value.apply(row);
            if (y != null && Double.isFinite(y)) {
                xs.add((double) row.epoch());
                ys.add(y);
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, xs, ys);
        series.setLineColor(colour);
        series.setMarkerColor(colour);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setLineStyle(stroke);
    }
}
