package dev.forger.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.graph.manifest.ManifestValidator;
import dev.forger.trainer.export.ExportFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExportCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(ExportCommand command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void exportsAndPrintsTheVerificationSummary() throws Exception {
        Path run = tmp.resolve("run");
        ExportFixtures.saveCheckpoint(run, true, 2);
        Path bundle = tmp.resolve("bundle");

        int code = run(new ExportCommand(), "--checkpoint", run.toString(), "--out", bundle.toString());

        assertThat(code).as(err.toString()).isZero();
        String version = LocalDate.now() + ".1";
        assertThat(ManifestValidator.readValid(bundle).version()).isEqualTo(version);
        assertThat(ManifestValidator.readValid(bundle).name()).as("named after its folder").isEqualTo("bundle");
        assertThat(out.toString()).contains("exported bundle " + version + " (epoch 2)", "generator image",
                "gradient graph grad", "central differences", "manifest valid").doesNotContain("FAILED");
    }

    @Test
    void badInputExitsWithTwoAndOneLine() throws Exception {
        int code = run(new ExportCommand(), "--checkpoint", tmp.resolve("nothing").toString(),
                "--out", tmp.resolve("b").toString(), "--name", "n", "--version", "v");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("error: ").contains("nothing: no such directory").doesNotContain("\n");
        assertThat(tmp.resolve("b")).doesNotExist();
    }

    @Test
    void anOccupiedOutputExitsWithTwo() throws Exception {
        Path run = tmp.resolve("run");
        ExportFixtures.saveCheckpoint(run, false, 1);
        Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(tmp.resolve("taken").resolve("manifest.json"), "{}");

        int code = run(new ExportCommand(), "--checkpoint", run.toString(), "--out", tmp.resolve("taken").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("exists and is not empty");
    }

    @Test
    void failedVerificationExitsWithOneAndShowsTheNumbers() throws Exception {
        Path run = tmp.resolve("run");
        ExportFixtures.saveCheckpoint(run, false, 1);
        ExportCommand command = new ExportCommand();
        command.exporter = () -> ExportFixtures.corrupting("discriminator.onnx");

        int code = run(command, "--checkpoint", run.toString(), "--out", tmp.resolve("b").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("verification failed", "discriminator logit", "FAILED", "max |diff|");
        assertThat(tmp.resolve("b")).doesNotExist();
    }

    @Test
    void withoutNameTheBundleIsNamedAfterItsFolder() {
        assertThat(ExportCommand.defaultName(Path.of("service/src/main/resources/models/mnist-dcgan"))).isEqualTo("mnist-dcgan");
        assertThat(ExportCommand.defaultName(Path.of("bundles/digits-v2/"))).isEqualTo("digits-v2");
    }

    @Test
    void defaultVersionIsTheDateWithRevisionOne() {
        assertThat(ExportCommand.defaultVersion(LocalDate.of(2026, 11, 26))).isEqualTo("2026-11-26.1");
    }
}
