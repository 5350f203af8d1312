package dev.forger.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.graph.manifest.ManifestIo;
import dev.forger.graph.manifest.ManifestValidator;
import dev.forger.graph.manifest.Sha256;
import dev.forger.trainer.data.ImageSet;
import dev.forger.trainer.data.SyntheticDigits;
import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.report.MetricsCsv;
import dev.forger.trainer.report.RunInfo;
import dev.forger.trainer.training.Checkpoint;
import dev.forger.trainer.training.EpochMetrics;
import dev.forger.trainer.training.GanTrainer;
import dev.forger.trainer.training.TrainingPlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportBundleTest {

    @TempDir
    Path tmp;

    private static List<String> entries(Path dir) throws Exception {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static EpochMetrics row(int epoch, Double frechet) {
        return new EpochMetrics(epoch, 1.2, 0.8, epoch / 10.0, 0.3, 10, 100, frechet,
                frechet == null ? null : 3.5, frechet == null ? null : 9,
                frechet == null ? null : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0});
    }

    @Test
    void writesAVerifiedBundleWhoseManifestDescribesTheRun() throws Exception {
        Path run = tmp.resolve("run");
        ExportFixtures.saveCheckpoint(run, true, 3);
        RunInfo.write(run.resolve(RunInfo.FILE_NAME), RunInfo.capture("dcgan-trainer",
                new String[] {"train", "--epochs", "4"}, Map.of("epochs", 4, "convDim", 4), "synthetic:seed1", 5));
        // quality measured in epochs 2 and 4; the checkpoint is from epoch 3
        MetricsCsv.write(run.resolve(MetricsCsv.FILE_NAME), List.of(row(1, null), row(2, 42.5), row(3, null), row(4, 7.0)));
        Files.createDirectories(run.resolve(GanTrainer.QUALITY));
        Files.writeString(run.resolve(GanTrainer.QUALITY).resolve("quality.json"),
                "{\"format\":1,\"extractor\":\"digit-cnn\",\"heldOutAccuracy\":0.97}");
        Path out = tmp.resolve("bundles").resolve("tiny");

        ExportResult result = new BundleExporter().export(run, out, "tiny", "2026-11-26.1");

        assertThat(result.bundleDir()).isEqualTo(out.toAbsolutePath());
        assertThat(entries(out)).containsExactly("discriminator-grad.onnx", "discriminator.onnx", "generator.onnx",
                "manifest.json");
        assertThat(entries(out.getParent())).containsExactly("tiny"); // no staging folder left behind
        BundleManifest m = ManifestValidator.readValid(out);
        assertThat(m).isEqualTo(result.manifest());
        assertThat(ManifestIo.read(out.resolve("manifest.json"))).isEqualTo(m);
        assertThat(m.name()).isEqualTo("tiny");
        assertThat(m.version()).isEqualTo("2026-11-26.1");
        assertThat(m.image()).isEqualTo(new BundleManifest.Image(1, 32, 32));
        assertThat(m.latent()).isEqualTo(BundleManifest.Latent.uniform(8, -1, 1));
        assertThat(m.generator()).isEqualTo(new BundleManifest.Network("generator.onnx", "z", "image",
                Sha256.of(out.resolve("generator.onnx"))));
        assertThat(m.discriminator()).isEqualTo(new BundleManifest.Network("discriminator.onnx", "image", "logit",
                Sha256.of(out.resolve("discriminator.onnx"))));
        assertThat(m.discriminatorGradient()).isEqualTo(new BundleManifest.GradientNetwork("discriminator-grad.onnx",
                Sha256.of(out.resolve("discriminator-grad.onnx"))));
        assertThat(m.training().epochs()).isEqualTo(3);
        assertThat(m.training().dataset()).isEqualTo("synthetic:seed1");
        assertThat(m.training().command()).isEqualTo("dcgan-trainer train --epochs 4");
        assertThat(m.training().hyperparameters()).containsEntry("convDim", 4);
        assertThat(m.metrics()).containsEntry("epoch", 2).containsEntry("frechetDistance", 42.5)
                .containsEntry("frechetFloor", 3.5).containsEntry("classesCovered", 9)
                .containsEntry("classHistogram", List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 0))
                .containsEntry("featureExtractor", "digit-cnn").containsEntry("trainModeDReal", 0.2).containsEntry("trainModeDFake", 0.3);
        assertThat(m.description()).contains("synthetic:seed1", "3 epochs", "32x32 grey");

        VerificationReport report = result.verification();
        assertThat(report.passed()).isTrue();
        assertThat(report.checks()).extracting(Comparison::name).containsExactly("generator image",
                "discriminator logit", "gradient graph logit", "gradient graph grad");
        assertThat(report.checks().get(3).reference()).contains("central differences");
        assertThat(report.checks()).allSatisfy(c -> assertThat(c.compared()).isPositive());
        assertThat(report.checks().get(0).compared()).isEqualTo(BundleVerifier.BATCH * 1024L);
        assertThat(report.summary()).contains("manifest valid");
    }

    @Test
    void aBundleWithoutBatchNormIsCheckedAgainstDl4jBackpropAndFiniteDifferencesAlike() throws Exception {
        Path epochDir = ExportFixtures.saveCheckpoint(tmp.resolve("run"), false, 1);
        Path out = tmp.resolve("plain");

        ExportResult result = new BundleExporter().export(epochDir, out, "plain", "1");

        assertThat(result.verification().checks().get(3).reference()).contains("DL4J backprop");
        assertThat(result.manifest().training().dataset()).isNull(); // no run.json: hyperparameters from the checkpoint
        assertThat(result.manifest().training().hyperparameters()).containsEntry("convDim", 4)
                .containsEntry("batchNorm", false).containsEntry("batchSize", 16);
        assertThat(result.manifest().metrics()).isEmpty();
        Checkpoint checkpoint = Checkpoint.load(epochDir);
        VerificationReport byDifferences = new BundleVerifier(BundleVerifier.GradientReference.FINITE_DIFFERENCES)
                .verify(out, result.manifest(), checkpoint.generator(), checkpoint.discriminator(),
                        checkpoint.state().config());
        assertThat(byDifferences.passed()).as(byDifferences.summary()).isTrue();
        assertThat(byDifferences.checks().get(3).reference()).contains("central differences");
    }

    @Test
    void aCorruptedWeightFailsVerificationWithTheNumbersAndLeavesNothingBehind() throws Exception {
        Path run = tmp.resolve("run");
        ExportFixtures.saveCheckpoint(run, true, 1);
        Path out = tmp.resolve("out");

        assertThatThrownBy(() -> ExportFixtures.corrupting(BundleFiles.GENERATOR).export(run, out, "x", "1"))
                .isInstanceOfSatisfying(VerificationFailedException.class, e -> {
                    List<Comparison> failed = e.report().checks().stream().filter(c -> !c.passed()).toList();
                    assertThat(failed).extracting(Comparison::name).containsExactly("generator image");
                    assertThat(failed.get(0).maxAbsDiff()).isGreaterThan(BundleVerifier.OUTPUT_TOLERANCE);
                    assertThat(e.getMessage()).contains("generator image", "max |diff|", "sample ");
                });
        assertThat(out).doesNotExist();
        assertThat(entries(tmp)).containsExactly("run");
    }

    @Test
    void aGradientOnePercentOffFailsVerification() throws Exception {
        Path run = tmp.resolve("run");
        ExportFixtures.saveCheckpoint(run, true, 1);

        assertThatThrownBy(() -> ExportFixtures.scalingGradient(1.01f).export(run, tmp.resolve("out"), "x", "1"))
                .isInstanceOfSatisfying(VerificationFailedException.class, e -> assertThat(e.report().failures())
                        .singleElement().asString().startsWith("gradient graph grad"));
    }

    @Test
    void aModelOnnxRuntimeCannotLoadFailsVerification() throws Exception {
        Path run = tmp.resolve("run");
        ExportFixtures.saveCheckpoint(run, false, 1);

        assertThatThrownBy(() -> ExportFixtures.breakingGradientGraph().export(run, tmp.resolve("out"), "x", "1"))
                .isInstanceOfSatisfying(VerificationFailedException.class, e -> assertThat(e.report().failures())
                        .singleElement().asString().startsWith("gradient graph").contains("ONNX Runtime cannot run it"));
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void badInputFailsWithAClearMessage() throws Exception {
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        assertThatThrownBy(() -> new BundleExporter().export(run, tmp.resolve("a"), "x", "1"))
                .isInstanceOf(ExportException.class).hasMessageContaining("no checkpoint found");
        assertThatThrownBy(() -> new BundleExporter().export(tmp.resolve("missing"), tmp.resolve("a"), "x", "1"))
                .isInstanceOf(ExportException.class).hasMessageContaining("missing: no such directory");

        ExportFixtures.saveCheckpoint(run, false, 1);
        Path full = tmp.resolve("full");
        Files.createDirectories(full);
        Files.writeString(full.resolve("something"), "x");
        assertThatThrownBy(() -> new BundleExporter().export(run, full, "x", "1"))
                .isInstanceOf(ExportException.class).hasMessageContaining("exists and is not empty");
        assertThatThrownBy(() -> new BundleExporter().export(run, full.resolve("something").resolve("b"), "x", "1"))
                .isInstanceOf(ExportException.class).hasMessageContaining("not writable");
        assertThatThrownBy(() -> new BundleExporter().export(run, tmp.resolve("c"), " ", "1"))
                .isInstanceOf(ExportException.class).hasMessageContaining("name must not be blank");
    }

    @Test
    void exportsWhatGanTrainerWroteAfterOneEpoch() throws Exception {
        DcganConfig config = DcganConfig.defaults(1).withConvDim(4);
        ImageSet digits = SyntheticDigits.generate(64, 32, 3);
        Path run = tmp.resolve("trained");
        new GanTrainer(new TrainingPlan(config, 1, 16, 7, 0, 0), run, new PrintStream(new ByteArrayOutputStream()))
                .train(digits, digits.subset(new int[0]), false);

        ExportResult result = new BundleExporter().export(run, tmp.resolve("bundle"), "synthetic", "2026-11-26.1");

        assertThat(result.epoch()).isEqualTo(1);
        assertThat(result.verification().passed()).isTrue();
        assertThat(result.manifest().latent().dim()).isEqualTo(100);
        assertThat(result.manifest().metrics()).containsKeys("epoch", "trainModeDReal", "trainModeDFake").doesNotContainKey("frechetDistance");
        assertThat(ManifestValidator.readValid(tmp.resolve("bundle"))).isEqualTo(result.manifest());
    }
}
