package dev.forger.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.graph.onnx.OnnxModel;
import dev.forger.trainer.nets.DcganConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportGradientTest {

    @TempDir
    Path dir;

    private static float[] noise(int count, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (2 * random.nextDouble() - 1);
        }
        return values;
    }

    private OrtModel gradientGraph(MultiLayerNetwork d, DcganConfig config) throws Exception {
        OnnxModel grad = DcganOnnxExporter.discriminatorGradient(DcganOnnxExporter.discriminator(d, config, Map.of()));
        assertThat(grad.inputs()).extracting(Object::toString)
                .containsExactly("image: FLOAT[N,1,32,32]", "target: FLOAT[N,1]");
        assertThat(grad.outputs()).extracting(Object::toString)
                .containsExactly("logit: FLOAT[N,1]", "grad: FLOAT[N,1,32,32]");
        assertThat(grad.metadata()).containsEntry("forger.network", "discriminator-gradient");
        Path file = dir.resolve("grad.onnx");
        grad.write(file);
        return OrtModel.open(file);
    }

    @ParameterizedTest(name = "batchNorm={0}")
    @ValueSource(booleans = {true, false})
    void gradientAgreesWithFiniteDifferencesOfDl4jInDouble(boolean batchNorm) throws Exception {
        DcganConfig config = ExportFixtures.config(batchNorm);
        MultiLayerNetwork d = ExportFixtures.discriminator(config, 2);
        float[] images = noise(2 * 1024, 9);
        long[] shape = {2, 1, 32, 32};
        double[] targets = {1, 0};
        float[] grad;
        try (OrtModel ort = gradientGraph(d, config)) {
            grad = ort.run(Map.of("image", new OrtModel.Tensor(images, shape),
                    "target", new OrtModel.Tensor(new float[] {1, 0}, new long[] {2, 1}))).get("grad").data();
        }
        int[] coordinates = new Random(4).ints(0, 1024).distinct().limit(40).toArray();

        double[][] fd = new FiniteDifferenceGradient(d).gradient(images, shape, targets, coordinates);

        int compared = 0;
        for (int s = 0; s < 2; s++) {
            double scale = 0;
            for (double v : fd[s]) {
                scale = Double.isNaN(v) ? scale : Math.max(scale, Math.abs(v));
            }
            assertThat(scale).as("sample %d has a gradient to compare", s).isGreaterThan(1e-6);
            for (int k = 0; k < coordinates.length; k++) {
                if (!Double.isNaN(fd[s][k])) {
                    compared++;
                    assertThat((double) grad[s * 1024 + coordinates[k]]).as("sample %d coordinate %d", s, coordinates[k])
                            .isCloseTo(fd[s][k], org.assertj.core.data.Offset.offset(1e-3 * scale));
                }
            }
        }
        assertThat(compared).as("differences not at kinks").isGreaterThan(60);
    }

    @Test
    void oneGraphPushesTowardsRealOrFakeByItsPerSampleTarget() throws Exception {
        DcganConfig config = ExportFixtures.config(true);
        MultiLayerNetwork d = ExportFixtures.discriminator(config, 2);
        float[] image = noise(1024, 3);
        float[] twice = new float[2048];
        System.arraycopy(image, 0, twice, 0, 1024);
        System.arraycopy(image, 0, twice, 1024, 1024);
        Map<String, OrtModel.Tensor> out;
        try (OrtModel ort = gradientGraph(d, config)) {
            out = ort.run(Map.of("image", new OrtModel.Tensor(twice, new long[] {2, 1, 32, 32}),
                    "target", new OrtModel.Tensor(new float[] {0, 1}, new long[] {2, 1})));
        }
        float[] logit = out.get("logit").data();
        float[] grad = out.get("grad").data();
        // dL/dx = (sigmoid(z) - t) dz/dx: towards fake it is p·J, towards real (p - 1)·J
        double p = 1 / (1 + Math.exp(-logit[0]));
        assertThat(logit[1]).isEqualTo(logit[0]);
        double maxJ = 0;
        for (int i = 0; i < 1024; i++) {
            maxJ = Math.max(maxJ, Math.abs(grad[i] / p));
        }
        for (int i = 0; i < 1024; i++) {
            assertThat((double) grad[1024 + i]).as("coordinate %d", i)
                    .isCloseTo(grad[i] * (p - 1) / p, org.assertj.core.data.Offset.offset(1e-5 * maxJ));
        }
        assertThat(maxJ).isGreaterThan(1e-4);
    }

    @Test
    void dl4jBackpropIsTheReferenceOnlyWithoutBatchNorm() {
        DcganConfig config = ExportFixtures.config(false);
        MultiLayerNetwork d = ExportFixtures.discriminator(config, 2);
        assertThat(BundleVerifier.referenceFor(d)).isEqualTo(BundleVerifier.GradientReference.DL4J_BACKPROP);
        assertThat(BundleVerifier.referenceFor(ExportFixtures.discriminator(ExportFixtures.config(true), 2)))
                .isEqualTo(BundleVerifier.GradientReference.FINITE_DIFFERENCES);
    }
}
