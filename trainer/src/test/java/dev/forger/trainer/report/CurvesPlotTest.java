package dev.forger.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forger.trainer.training.EpochMetrics;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurvesPlotTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        // a training machine has no display; the plot must not need one
        System.setProperty("java.awt.headless", "true");
        assertThat(GraphicsEnvironment.isHeadless()).isTrue();
    }

    @Test
    void threePanelsWhenQualityWasMeasured() throws IOException {
        List<EpochMetrics> rows = new ArrayList<>();
        for (int e = 1; e <= 12; e++) {
            boolean measured = e % 3 == 0;
            rows.add(new EpochMetrics(e, 1.4 - 0.05 * e, 0.7 + 0.1 * e, 0.5 + 0.03 * e, 0.5 - 0.03 * e, 80, 100,
                    measured ? 120.0 / e : null, measured ? 4.0 : null, measured ? 10 : null, null));
        }
        Path file = dir.resolve("curves.png");

        CurvesPlot.writePng(rows, file);

        BufferedImage png = ImageIO.read(file.toFile());
        assertThat(png).as("decodes as PNG").isNotNull();
        assertThat(png.getWidth()).isEqualTo(CurvesPlot.PANEL_WIDTH);
        assertThat(png.getHeight()).isEqualTo(3 * CurvesPlot.PANEL_HEIGHT);
        assertDrawn(png);
    }

    @Test
    void aSingleEpochWithoutQualityGivesTwoPanels() throws IOException {
        List<EpochMetrics> rows = List.of(new EpochMetrics(1, 1.2, 0.8, 0.7, 0.3, 85, 94, null, null, null, null));
        Path file = dir.resolve("curves.png");

        CurvesPlot.writePng(rows, file);

        BufferedImage png = ImageIO.read(file.toFile());
        assertThat(png.getWidth()).isEqualTo(CurvesPlot.PANEL_WIDTH);
        assertThat(png.getHeight()).isEqualTo(2 * CurvesPlot.PANEL_HEIGHT);
        assertDrawn(png);
    }

    @Test
    void divergedEpochsDoNotBreakThePlot() throws IOException {
        List<EpochMetrics> rows = List.of(
                new EpochMetrics(1, 1.2, 0.8, 0.7, 0.3, 85, 94, 50.0, null, null, null),
                new EpochMetrics(2, Double.NaN, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN, 85, 94, null, null, null, null),
                new EpochMetrics(3, 0.9, 1.1, 0.6, 0.4, 85, 94, null, null, null, null));
        Path file = dir.resolve("curves.png");

        CurvesPlot.writePng(rows, file);

        BufferedImage png = ImageIO.read(file.toFile());
        assertThat(png.getHeight()).isEqualTo(3 * CurvesPlot.PANEL_HEIGHT);
        assertDrawn(png);
    }

    @Test
    void qualityPanelDrawsTheFloorAsItsOwnSeries() {
        List<EpochMetrics> rows = List.of(
                new EpochMetrics(1, 1, 1, 0.5, 0.5, 1, 1, 30.0, 2.0, 10, null),
                new EpochMetrics(2, 1, 1, 0.5, 0.5, 1, 1, 20.0, 2.0, 10, null));

        var panels = CurvesPlot.panels(rows);

        assertThat(panels).hasSize(3);
        assertThat(panels.get(2).getSeriesMap()).containsOnlyKeys("Fréchet distance", "floor (real vs real)");
        assertThat(panels.get(2).getSeriesMap().get("floor (real vs real)").getYData()).containsExactly(2.0, 2.0);
    }

    @Test
    void noEpochsIsRefused() {
        assertThatThrownBy(() -> CurvesPlot.writePng(List.of(), dir.resolve("curves.png")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no epochs");
    }

    /** Not blank: many colours, and the D and G series colours are there. */
    private static void assertDrawn(BufferedImage png) {
        Set<Integer> colours = new HashSet<>();
        int background = png.getRGB(0, 0) & 0xFFFFFF;
        int nonBackground = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                int rgb = png.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (rgb != background) {
                    nonBackground++;
                }
            }
        }
        assertThat(colours.size()).as("distinct colours").isGreaterThan(20);
        assertThat(nonBackground).as("pixels drawn").isGreaterThan(2000);
        assertThat(colours).as("series colours").contains(0x1f77b4, 0xd62728);
    }
}
