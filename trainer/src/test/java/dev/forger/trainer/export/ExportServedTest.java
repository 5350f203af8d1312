package dev.forger.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.graph.manifest.ManifestValidator;
import dev.forger.graph.manifest.Sha256;
import dev.forger.trainer.NativeBackend;
import dev.forger.trainer.data.ImageSet;
import dev.forger.trainer.data.SyntheticDigits;
import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.report.HeldOutImages;
import dev.forger.trainer.training.Checkpoint;
import dev.forger.trainer.training.GanTrainer;
import dev.forger.trainer.training.TrainingPlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The classifier member and the manifest's numbers about the served nets, from a real (tiny) run. */
class ExportServedTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    @Test
    void exportsTheRunsClassifierAndMeasuresTheServedNetsOnItsHeldOutImages() throws Exception {
        ImageSet.Split split = SyntheticDigits.generate(240, 32, 4).split(40, 9);
        Path run = tmp.resolve("run");
        HeldOutImages.write(run, split.heldOut(), split.heldOutIndices());
        new GanTrainer(new TrainingPlan(DcganConfig.defaults(1).withConvDim(4), 1, 32, 3, 1, 0, 2), run,
                new PrintStream(new ByteArrayOutputStream())).train(split.train(), split.heldOut(), false);
        Path out = tmp.resolve("bundle");

        ExportResult result = new BundleExporter().export(run, out, "tiny", "1");

        assertThat(Files.list(out).map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                "classifier.onnx", "discriminator-grad.onnx", "discriminator.onnx", "generator.onnx", "manifest.json");
        BundleManifest m = ManifestValidator.readValid(out);
        assertThat(m.classifier().file()).isEqualTo("classifier.onnx");
        assertThat(m.classifier().input()).isEqualTo("image");
        assertThat(m.classifier().output()).isEqualTo("logits");
        assertThat(m.classifier().sha256()).isEqualTo(Sha256.of(out.resolve("classifier.onnx")));
        assertThat(m.classifier().classes()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        double dl4jAccuracy = (Double) m.metrics().get("featureExtractorAccuracy");
        assertThat(m.classifier().heldOutAccuracy()).as("ONNX Runtime's argmax agrees with DL4J's on the held-out set")
                .isCloseTo(dl4jAccuracy, within(1.0 / 40 + 1e-9));
        assertThat(result.served().classifierImages()).isEqualTo(40);

        assertThat(result.verification().checks()).extracting(Comparison::name).contains("classifier logits");
        assertThat(result.verification().passed()).as(result.verification().summary()).isTrue();

        @SuppressWarnings("unchecked")
        Map<String, Object> served = (Map<String, Object>) m.metrics().get("servedDiscriminator");
        assertThat(served).containsEntry("heldOutImages", 40).containsEntry("generatedImages", 40)
                .containsEntry("heldOutSha256", split.heldOut().sha256()).containsEntry("threshold", 0.5);
        assertThat(m.metrics()).containsKeys("trainModeDReal", "trainModeDFake").doesNotContainKeys("dReal", "dFake");
        assertThat(served).containsEntry("servedDiscriminatorSteps", 2);
        assertThat((String) served.get("discriminator")).contains("BatchNorm folded");
        assertThat(dev.forger.graph.onnx.OnnxModel.read(out.resolve("discriminator.onnx")).nodes())
                .as("the served discriminator is the folded one").noneMatch(n -> n.getOpType().equals("BatchNormalization"));
        for (String key : List.of("meanRealProbabilityOfHeldOutReal", "meanRealProbabilityOfGenerated", "rocAuc",
                "balancedAccuracy", "heldOutRealCalledReal", "generatedCalledFake")) {
            assertThat((Double) served.get(key)).as(key).isBetween(0.0, 1.0);
        }
        assertThat((Double) served.get("balancedAccuracy")).isEqualTo(
                ((Double) served.get("heldOutRealCalledReal") + (Double) served.get("generatedCalledFake")) / 2);

        // the served mean on real images is DL4J's inference-mode verdict on the same images
        Checkpoint checkpoint = Checkpoint.load(run);
        int[] all = java.util.stream.IntStream.range(0, 40).toArray();
        INDArray x = Nd4j.create(split.heldOut().batch(all, new float[40 * 1024]), new long[] {40, 1, 32, 32}, 'c');
        float[] logits = Dl4jArrays.rowMajor(checkpoint.discriminatorToServe().output(x, false));
        double mean = 0;
        for (float l : logits) {
            mean += ServedDiscriminator.sigmoid(l) / logits.length;
        }
        assertThat((Double) served.get("meanRealProbabilityOfHeldOutReal")).isCloseTo(mean, within(1e-5));
    }

    @Test
    void withoutHeldOutImagesTheExportSaysSoAndAddsNoServedNumbers() throws Exception {
        Path run = tmp.resolve("run");
        ExportFixtures.saveCheckpoint(run, true, 1);

        ExportResult result = new BundleExporter().export(run, tmp.resolve("b"), "x", "1");

        assertThat(result.manifest().metrics()).doesNotContainKey("servedDiscriminator");
        assertThat(result.manifest().classifier()).isNull();
        assertThat(result.served().describe()).contains("not measured: the run directory holds no held-out images");
    }

    @Test
    void rocAucIsTheShareOfRealGeneratedPairsOrderedRightWithTiesAsHalf() {
        assertThat(ServedDiscriminator.rocAuc(new double[] {0.9, 0.8}, new double[] {0.1, 0.8})).isEqualTo(3.5 / 4);
        assertThat(ServedDiscriminator.rocAuc(new double[] {0.9, 0.7}, new double[] {0.1, 0.2, 0.3})).isEqualTo(1.0);
        assertThat(ServedDiscriminator.rocAuc(new double[] {0.1}, new double[] {0.9})).isEqualTo(0.0);
        assertThat(ServedDiscriminator.rocAuc(new double[] {0.5, 0.5}, new double[] {0.5})).isEqualTo(0.5);
    }
}
