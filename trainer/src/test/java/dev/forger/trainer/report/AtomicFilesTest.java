package dev.forger.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFailedWriteKeepsTheOldContentAndLeavesNoTemporary() throws IOException {
        Path file = dir.resolve("metrics.csv");
        AtomicFiles.write(file, out -> out.write("old".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(Files.readString(file)).isEqualTo("old");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void artefactsAreReadableByOthersAndParentsAreMade() throws IOException {
        Path file = dir.resolve("run-1/samples/epoch-001.png");

        AtomicFiles.write(file, out -> out.write(1));

        assertThat(Files.readAllBytes(file)).containsExactly(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    }
}
