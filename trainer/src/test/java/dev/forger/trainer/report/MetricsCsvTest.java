package dev.forger.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forger.trainer.training.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCsvTest {

    @TempDir
    Path dir;

    private static final EpochMetrics UNMEASURED =
            new EpochMetrics(1, 1.3862943611198906, 0.6931471805599453, 0.5, 0.4999, 85.25, 94.1, null, null, null, null);
    private static final EpochMetrics MEASURED =
            new EpochMetrics(2, 0.1 + 0.2, 2.5e-7, 0.81, 0.12, 83.0, 96.38554216867469,
                    41.27, 3.5, 9, new int[] {12, 9, 0, 15, 11, 8, 10, 13, 7, 15});
    private static final EpochMetrics DIVERGED =
            new EpochMetrics(3, Double.NaN, Double.POSITIVE_INFINITY, 1.0, 0.0, 84.0, -0.0, null, null, 0, null);

    @Test
    void roundTripIsExact() throws IOException {
        Path file = dir.resolve("metrics.csv");
        List<EpochMetrics> rows = List.of(UNMEASURED, MEASURED, DIVERGED);

        MetricsCsv.write(file, rows);

        assertThat(MetricsCsv.read(file)).containsExactlyElementsOf(rows);
    }

    @Test
    void fileHasTheDocumentedColumnsAndEmptyCellsForUnmeasuredQuality() throws IOException {
        Path file = dir.resolve("metrics.csv");

        MetricsCsv.write(file, List.of(UNMEASURED, MEASURED));

        assertThat(Files.readAllLines(file)).containsExactly(
                "epoch,d_loss,g_loss,d_real,d_fake,seconds,images_per_s,frechet_distance,frechet_floor,"
                        + "classes_covered,class_histogram",
                "1,1.3862943611198906,0.6931471805599453,0.5,0.4999,85.25,94.1,,,,",
                "2,0.30000000000000004,2.5E-7,0.81,0.12,83.0,96.38554216867469,41.27,3.5,9,12|9|0|15|11|8|10|13|7|15");
    }

    @Test
    void rewritingReplacesTheWholeFileAndLeavesNoTemporaries() throws IOException {
        Path file = dir.resolve("metrics.csv");
        MetricsCsv.write(file, List.of(UNMEASURED, MEASURED, DIVERGED));

        MetricsCsv.write(file, List.of(UNMEASURED));

        assertThat(MetricsCsv.read(file)).containsExactly(UNMEASURED);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void noRowsIsJustTheHeader() throws IOException {
        Path file = dir.resolve("sub/metrics.csv");

        MetricsCsv.write(file, List.of());

        assertThat(Files.readAllLines(file)).containsExactly(MetricsCsv.HEADER);
        assertThat(MetricsCsv.read(file)).isEmpty();
    }

    @Test
    void aWrongHeaderIsNamed() throws IOException {
        Path file = write("epoch,d_loss,g_loss\n1,2,3\n");

        assertThatThrownBy(() -> MetricsCsv.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ":1: header is 'epoch,d_loss,g_loss'");
    }

    @Test
    void aCellThatIsNotANumberIsNamedWithItsLineAndColumn() throws IOException {
        Path file = write(MetricsCsv.HEADER + "\n"
                + "1,1.0,2.0,0.5,0.5,1.0,10.0,,,,\n"
                + "2,abc,2.0,0.5,0.5,1.0,10.0,,,,\n");

        assertThatThrownBy(() -> MetricsCsv.read(file))
                .isInstanceOf(IOException.class)
                .hasMessage(file + ":3: d_loss is 'abc', not a number");
    }

    @Test
    void otherMalformedRowsSayWhatIsWrong() throws IOException {
        assertReadFails("1,1.0,2.0,0.5\n", ":2: has 4 cells, expected 11");
        assertReadFails(",1.0,2.0,0.5,0.5,1.0,10.0,,,,\n", ":2: epoch is empty but is required");
        assertReadFails("1.5,1.0,2.0,0.5,0.5,1.0,10.0,,,,\n", ":2: epoch is '1.5', not an integer");
        assertReadFails("1,1.0,2.0,0.5,0.5,1.0,10.0,,,x,\n", ":2: classes_covered is 'x', not an integer");
        assertReadFails("1,1.0,2.0,0.5,0.5,1.0,10.0,,,,3|x|4\n", ":2: class_histogram is '3|x|4': count 2 ('x')");
        assertReadFails("-1,1.0,2.0,0.5,0.5,1.0,10.0,,,,\n", ":2: epoch must not be negative");
    }

    @Test
    void anEmptyFileIsNamed() throws IOException {
        Path file = write("");

        assertThatThrownBy(() -> MetricsCsv.read(file)).hasMessageContaining(file + ": empty");
    }

    @Test
    void blankLinesAndWindowsLineEndsAreTolerated() throws IOException {
        Path file = write(MetricsCsv.HEADER + "\r\n" + MetricsCsv.line(MEASURED) + "\r\n\r\n");

        assertThat(MetricsCsv.read(file)).containsExactly(MEASURED);
    }

    private void assertReadFails(String row, String expected) throws IOException {
        Path file = write(MetricsCsv.HEADER + "\n" + row);
        assertThatThrownBy(() -> MetricsCsv.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file + expected);
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "metrics", ".csv");
        Files.writeString(file, text);
        return file;
    }
}
