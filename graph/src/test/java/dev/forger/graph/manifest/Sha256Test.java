package dev.forger.graph.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
    @Test
    void matchesTheFips180Vector(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("abc");
        Files.writeString(file, "abc", StandardCharsets.US_ASCII);
        String expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

        assertThat(Sha256.of(file)).isEqualTo(expected);
        assertThat(Sha256.of("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(expected);
    }

    @Test
    void fileLargerThanTheBufferHashesLikeItsBytes(@TempDir Path dir) throws IOException {
        byte[] bytes = new byte[200_001];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Path file = dir.resolve("big");
        Files.write(file, bytes);

        assertThat(Sha256.of(file)).isEqualTo(Sha256.of(bytes));
    }
}
