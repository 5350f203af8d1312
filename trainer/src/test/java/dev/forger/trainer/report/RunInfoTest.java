package dev.forger.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunInfoTest {

    @TempDir
    Path dir;

    private static Map<String, Object> hyperparameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("epochs", 30);
        h.put("batchSize", 128);
        h.put("learningRate", 2.0e-4);
        h.put("beta1", 0.5);
        h.put("latent", "uniform");
        h.put("labelSmoothing", false);
        h.put("resumeFrom", null);
        h.put("qualityEvery", List.of(1, 5));
        return h;
    }

    @Test
    void captureRecordsTheCommandAndThisJvm() {
        String[] args = {"train", "--data", "my digits", "--seed", "7"};

        Instant before = Instant.now();
        RunInfo info = RunInfo.capture("dcgan-trainer", args, hyperparameters(), "8,000 MNIST digits, 28x28 grey", 7);
        args[0] = "changed later";

        assertThat(info.args()).containsExactly("train", "--data", "my digits", "--seed", "7");
        assertThat(info.command()).isEqualTo("dcgan-trainer train --data 'my digits' --seed 7");
        assertThat(info.startedAt()).isBetween(before, Instant.now());
        assertThat(info.javaVersion()).startsWith(System.getProperty("java.runtime.version"));
        assertThat(info.nd4jVersion()).isEqualTo("1.0.0-M2.1");
        assertThat(info.hyperparameters().keySet()).containsExactlyElementsOf(hyperparameters().keySet());
    }

    @Test
    void roundTripGivesTheSameRunBack() throws IOException {
        RunInfo info = RunInfo.capture("dcgan-trainer", new String[] {"train", "it's"}, hyperparameters(), "MNIST", -3L);
        Path file = dir.resolve(RunInfo.FILE_NAME);

        RunInfo.write(file, info);

        RunInfo back = RunInfo.read(file);
        assertThat(back).isEqualTo(info);
        assertThat(back.hyperparameters().keySet()).containsExactlyElementsOf(info.hyperparameters().keySet());
    }

    @Test
    void jsonIsPlainlyReadable() throws IOException {
        RunInfo info = new RunInfo(List.of("train"), "dcgan-trainer train", Map.of("epochs", 3), "MNIST", 42,
                Instant.parse("2026-11-26T10:15:30.123Z"), "17", "1.0.0-M2.1");
        Path file = dir.resolve("run.json");

        RunInfo.write(file, info);

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("startedAt").asText()).isEqualTo("2026-11-26T10:15:30.123Z");
        assertThat(json.get("command").asText()).isEqualTo("dcgan-trainer train");
        assertThat(json.get("args").get(0).asText()).isEqualTo("train");
        assertThat(json.get("seed").asLong()).isEqualTo(42);
        assertThat(json.get("hyperparameters").get("epochs").asInt()).isEqualTo(3);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void fieldsAddedByANewerTrainerAreIgnored() throws IOException {
        Path file = dir.resolve("run.json");
        Files.writeString(file, """
                {"args": ["a"], "command": "x a", "hyperparameters": {}, "dataset": "d", "seed": 1,
                 "startedAt": "2026-01-01T00:00:00Z", "javaVersion": "17", "nd4jVersion": "1", "gpu": "none"}
                """);

        RunInfo info = RunInfo.read(file);

        assertThat(info.args()).containsExactly("a");
        assertThat(info.startedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void malformedFilesNameTheFileAndTheProblem() throws IOException {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"args\": [\"a\"], \"command\": ");
        assertThatThrownBy(() -> RunInfo.read(broken))
                .isInstanceOf(IOException.class).hasMessageStartingWith(broken + ":1:28: not a valid run description");

        Path badTime = dir.resolve("bad-time.json");
        Files.writeString(badTime, "{\"args\": [], \"command\": \"x\", \"startedAt\": \"yesterday\"}");
        assertThatThrownBy(() -> RunInfo.read(badTime))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(badTime + ":1:43: field startedAt: not a valid run description")
                .hasMessageContaining("\"yesterday\": not an ISO-8601 instant");

        Path noCommand = dir.resolve("no-command.json");
        Files.writeString(noCommand, "{\"args\": [], \"startedAt\": \"2026-01-01T00:00:00Z\"}");
        assertThatThrownBy(() -> RunInfo.read(noCommand))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(noCommand.toString()).hasMessageContaining("command is missing");

        assertThatThrownBy(() -> RunInfo.read(dir.resolve("missing.json"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void argsAreCopiedSoTheRecordCannotChange() {
        List<String> args = new java.util.ArrayList<>(List.of("a"));
        RunInfo info = new RunInfo(args, "p a", null, "d", 0, Instant.EPOCH, "17", "1");
        args.add("later");

        assertThat(info.args()).containsExactly("a");
        assertThat(info.hyperparameters()).isEmpty();
        assertThatThrownBy(() -> info.args().add("b")).isInstanceOf(UnsupportedOperationException.class);
    }
}
