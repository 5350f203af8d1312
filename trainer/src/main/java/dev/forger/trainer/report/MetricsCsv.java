package dev.forger.trainer.report;

import dev.forger.trainer.training.EpochMetrics;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * {@code metrics.csv}: one line per epoch, so a run can be plotted, compared or resumed.
 *
 * <p>Every cell is a number, a {@code |}-separated list of counts, or empty (a quality metric not
 * measured in that epoch), so no cell ever needs quoting; that is why this is a few lines of
 * splitting rather than a CSV library. Doubles are written with {@link Double#toString(double)}
 * so that {@link #read} gives back exactly the values written (NaN and infinities included).
 */
public final class MetricsCsv {

    /** The file's name in a run directory. */
    public static final String FILE_NAME = "metrics.csv";

    public static final List<String> COLUMNS = List.of("epoch", "d_loss", "g_loss", "d_real", "d_fake",
            "seconds", "images_per_s", "frechet_distance", "frechet_floor", "classes_covered", "class_histogram");

    static final String HEADER = String.join(",", COLUMNS);

    private MetricsCsv() {
    }

    /** Replaces {@code file} with a header and one line per row, atomically. */
    public static void write(Path file, List<EpochMetrics> rows) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.write(HEADER);
            w.write('\n');
            for (EpochMetrics row : rows) {
                w.write(line(row));
                w.write('\n');
            }
            w.flush();
        });
    }

    static String line(EpochMetrics m) {
        return String.join(",",
                Integer.toString(m.epoch()),
                Double.toString(m.dLoss()),
                Double.toString(m.gLoss()),
                Double.toString(m.dReal()),
                Double.toString(m.dFake()),
                Double.toString(m.seconds()),
                Double.toString(m.imagesPerSecond()),
                m.frechetDistance() == null ? "" : Double.toString(m.frechetDistance()),
                m.frechetFloor() == null ? "" : Double.toString(m.frechetFloor()),
                m.classesCovered() == null ? "" : Integer.toString(m.classesCovered()),
                histogram(m.classHistogram()));
    }

    private static String histogram(int[] counts) {
        if (counts == null) {
            return "";
        }
        StringJoiner joined = new StringJoiner("|");
        Arrays.stream(counts).forEach(c -> joined.add(Integer.toString(c)));
        return joined.toString();
    }

    /**
     * Reads a file written by {@link #write}. A file whose header or any row is not of that form
     * fails with an {@link IOException} naming the file, the line and the column at fault.
     */
    public static List<EpochMetrics> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty, expected the header line '" + HEADER + "'");
        }
        if (!lines.get(0).strip().equals(HEADER)) {
            throw new IOException(file + ":1: header is '" + lines.get(0) + "', expected '" + HEADER + "'");
        }
        List<EpochMetrics> rows = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (!text.isEmpty()) {
                rows.add(new RowParser(file, i + 1, text).parse());
            }
        }
        return rows;
    }

    /** Parses one line, knowing where it came from so that every error can say so. */
    private static final class RowParser {
        private final Path file;
        private final int lineNumber;
        private final String[] cells;

        RowParser(Path file, int lineNumber, String text) {
            this.file = file;
            this.lineNumber = lineNumber;
            this.cells = text.split(",", -1);
        }

        EpochMetrics parse() throws IOException {
            if (cells.length != COLUMNS.size()) {
                throw error("has " + cells.length + " cells, expected " + COLUMNS.size() + " (" + HEADER + ")");
            }
            try {
                return new EpochMetrics(
                        requiredInt(0), requiredDouble(1), requiredDouble(2), requiredDouble(3), requiredDouble(4),
                        requiredDouble(5), requiredDouble(6),
                        optionalDouble(7), optionalDouble(8), optionalInt(9), histogram(10));
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        }

        private int requiredInt(int column) throws IOException {
            Integer value = optionalInt(column);
            if (value == null) {
                throw error(COLUMNS.get(column) + " is empty but is required");
            }
            return value;
        }

        private double requiredDouble(int column) throws IOException {
            Double value = optionalDouble(column);
            if (value == null) {
                throw error(COLUMNS.get(column) + " is empty but is required");
            }
            return value;
        }

        private Integer optionalInt(int column) throws IOException {
            String cell = cells[column].strip();
            if (cell.isEmpty()) {
                return null;
            }
            try {
                return Integer.parseInt(cell);
            } catch (NumberFormatException e) {
                throw error(COLUMNS.get(column) + " is '" + cell + "', not an integer");
            }
        }

        private Double optionalDouble(int column) throws IOException {
            String cell = cells[column].strip();
            if (cell.isEmpty()) {
                return null;
            }
            try {
                return Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw error(COLUMNS.get(column) + " is '" + cell + "', not a number");
            }
        }

        private int[] histogram(int column) throws IOException {
            String cell = cells[column].strip();
            if (cell.isEmpty()) {
                return null;
            }
            String[] parts = cell.split("\\|", -1);
            int[] counts = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    counts[i] = Integer.parseInt(parts[i].strip());
                } catch (NumberFormatException e) {
                    throw error(COLUMNS.get(column) + " is '" + cell + "': count " + (i + 1)
                            + " ('" + parts[i] + "') is not an integer; expected counts separated by '|'");
                }
            }
            return counts;
        }

        private IOException error(String problem) {
            return new IOException(file + ":" + lineNumber + ": " + problem);
        }
    }
}
