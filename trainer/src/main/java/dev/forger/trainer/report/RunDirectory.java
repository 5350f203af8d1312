package dev.forger.trainer.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Whether a directory already holds a run, and moving such a run out of the way: {@code train --out DIR}
 * must never overwrite a run that may have taken hours.
 */
public final class RunDirectory {

    /** What a run leaves in its directory; any one of them means "a run lives here". */
    static final List<String> RUN_FILES = List.of(RunInfo.FILE_NAME, "checkpoints", MetricsCsv.FILE_NAME, "quality",
            HeldOutImages.RECORD);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunDirectory() {
    }

    /** The run files in {@code dir} (empty when it is missing, empty, or holds only other files). */
    public static List<String> runFilesIn(Path dir) {
        return RUN_FILES.stream().filter(name -> Files.exists(dir.resolve(name))).toList();
    }

    /**
     * Renames {@code dir} to a sibling {@code DIR.replaced-yyyyMMdd-HHmmss} (with a counter if that exists) and
     * returns the new path; the old run stays whole there.
     */
    public static Path moveAside(Path dir, LocalDateTime now) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        String base = absolute.getFileName() + ".replaced-" + STAMP.format(now);
        Path target = absolute.resolveSibling(base);
        for (int i = 2; Files.exists(target); i++) {
            target = absolute.resolveSibling(base + "-" + i);
        }
        return Files.move(absolute, target);
    }
}
