package dev.forger.graph.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.forger.graph.OrtRunner;
import dev.forger.graph.autodiff.DefaultBundle;
import dev.forger.graph.autodiff.GanTestNets;
import dev.forger.graph.autodiff.Loss;
import dev.forger.graph.autodiff.TestNets;
import dev.forger.graph.autodiff.UnsupportedGraphException;
import dev.forger.graph.onnx.FloatTensor;
import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.ValueInfo;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The graphs the service will cache per bundle: their inputs and outputs, what they compute beside
 * the gradient, how the per-sample weights combine. (Their gradients are checked against central
 * differences in {@code autodiff.LatentGradientTest}.)
 */
class AttackGraphsTest {
    final TestNets nets = new TestNets(9);
    final GanTestNets gan = new GanTestNets(nets);
    final Net generator = DefaultBundle.generator();
    final Net discriminator = DefaultBundle.discriminator();
    final Net classifier = new Net(gan.classifier("image", 32), "image", "logits");

    @Test
    void latentDiscriminatorGraphOutputsTheImageTheLogitAndTheGradient() throws Exception {
        OnnxModel graph = AttackGraphs.latentDiscriminatorGradient(generator, discriminator);
        assertThat(graph.inputs()).extracting(ValueInfo::toString)
                .containsExactly("z: FLOAT[N,100]", "target: FLOAT[N,1]");
        assertThat(graph.outputs()).extracting(ValueInfo::toString)
                .containsExactly("image: FLOAT[N,1,32,32]", "logit: FLOAT[N,1]", "grad: FLOAT[N,100]");
        assertThat(graph.metadata()).containsEntry("forger.gradient.input", "z")
                .containsEntry("forger.gradient.loss", "binaryCrossEntropyWithLogits(input 'target') on 'logit'");

        FloatTensor z = nets.uniform(3, 100);
        try (OrtRunner g = new OrtRunner(generator.model()); OrtRunner d = new OrtRunner(discriminator.model());
             OrtRunner latent = new OrtRunner(graph)) {
            FloatTensor image = g.run("z", z, "image");
            Map<String, FloatTensor> out = latent.run(Map.of("z", z, "target", FloatTensor.of(new float[] {1, 0, 1}, 3, 1)));
            assertThat(out.get("image").data()).containsExactly(image.data(), offset(1e-6f));
            assertThat(out.get("logit").data()).containsExactly(d.run("image", image, "logit").data(), offset(1e-5f));
            assertThat(out.get("grad").shape()).containsExactly(3, 100);
        }
    }

    @Test
    void classifierGraphsTakeEveryRequestParameterPerSample() {
        OnnxModel latent = AttackGraphs.latentClassifierGradient(generator, classifier, discriminator, Loss.crossEntropy());
        assertThat(latent.inputs()).extracting(ValueInfo::toString).containsExactly("z: FLOAT[N,100]", "class: INT64[N]",
                "class_weight: FLOAT[N,1]", "realism: FLOAT[N,1]");
        assertThat(latent.outputs()).extracting(ValueInfo::name).containsExactly("image", "logits", "logit", "grad");

        OnnxModel pixel = AttackGraphs.pixelClassifierGradient(classifier, discriminator, Loss.logitMargin());
        assertThat(pixel.inputs()).extracting(ValueInfo::toString).containsExactly("image: FLOAT[N,1,32,32]",
                "class: INT64[N]", "class_weight: FLOAT[N,1]", "realism: FLOAT[N,1]");
        assertThat(pixel.outputs()).extracting(ValueInfo::toString).containsExactly("logits: FLOAT[N,10]",
                "logit: FLOAT[N,1]", "grad: FLOAT[N,1,32,32]");
    }

    @Test
    void weightsCombineTheTermsPerSample() throws Exception {
        // sample 0: realism only, equal to the latent discriminator graph towards "real";
        // sample 1: both weights 0, no gradient at all; sample 2: class term only, twice it is twice the gradient
        OnnxModel combined = AttackGraphs.latentClassifierGradient(generator, classifier, discriminator, Loss.crossEntropy());
        OnnxModel towardsReal = AttackGraphs.latentDiscriminatorGradient(generator, discriminator);
        FloatTensor z = nets.uniform(3, 100);
        FloatTensor zz = FloatTensor.of(concat(z.data(), Arrays.copyOfRange(z.data(), 200, 300)), 4, 100);
        try (OrtRunner c = new OrtRunner(combined); OrtRunner d = new OrtRunner(towardsReal)) {
            Map<String, FloatTensor> feeds = new HashMap<>(Map.of("z", zz,
                    "class_weight", FloatTensor.of(new float[] {0, 0, 1, 2}, 4, 1),
                    "realism", FloatTensor.of(new float[] {1, 0, 0, 0}, 4, 1)));
            float[] grad = c.run(feeds, Map.of("class", new long[] {4, 4, 4, 4})).get("grad").data();
            float[] real = d.run(Map.of("z", z, "target", FloatTensor.of(new float[] {1, 1, 1}, 3, 1))).get("grad").data();
            for (int i = 0; i < 100; i++) {
                assertThat(grad[i]).as("realism term").isCloseTo(real[i], offset(1e-5f));
                assertThat(grad[100 + i]).as("no term").isEqualTo(0f);
                assertThat(grad[300 + i]).as("class term doubled").isCloseTo(2 * grad[200 + i], offset(1e-5f));
            }
            assertThat(norm(grad, 200, 300)).as("class term").isGreaterThan(1e-3);
        }
    }

    @Test
    void anUnsupportedOperatorIsNamedWithItsModel() {
        ModelBuilder b = new ModelBuilder("g").input(ValueInfo.batchedFloat("z", 1024))
                .output(ValueInfo.batchedFloat("image", 1, 32, 32));
        String erf = b.node("Erf", "z").name("special").output("e");
        b.node("Reshape", erf, b.int64Constant("shape", -1, 1, 32, 32)).output("image");
        Net odd = new Net(b.build(), "z", "image");
        assertThatThrownBy(() -> AttackGraphs.latentDiscriminatorGradient(odd, discriminator))
                .isInstanceOf(UnsupportedGraphException.class)
                .hasMessageStartingWith("node 'generator/special' (Erf) is on the path from input 'z' to output 'logit' "
                        + "but Erf has no gradient rule");
    }

    @Test
    void badInputIsRefusedClearly() {
        Net small = new Net(gan.generator(16), null, null); // [N,1,16,16] images
        assertThatThrownBy(() -> AttackGraphs.latentDiscriminatorGradient(small, discriminator))
                .isInstanceOf(CompositionException.class)
                .hasMessage("generator 'image' is FLOAT[N,1,16,16] but discriminator input 'image' expects FLOAT[N,1,32,32]: "
                        + "dimension 2 differs (16 vs 32)");
        assertThatThrownBy(() -> Net.of(DefaultBundle.bytes("generator.onnx"), "noise", null))
                .hasMessage("model has no input 'noise'; its inputs are [z]");
        assertThatThrownBy(() -> Net.of("not onnx".getBytes(), null, null)).hasMessageStartingWith("not an ONNX model");
        assertThatThrownBy(() -> AttackGraphs.pixelClassifierGradient(classifier, discriminator,
                Loss.binaryCrossEntropyWithLogits()))
                .hasMessage("the classifier term needs a class loss (crossEntropy or logitMargin), not "
                        + "binaryCrossEntropyWithLogits(input 'target')");
    }

    private static float[] concat(float[] a, float[] b) {
        float[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static double norm(float[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i] * values[i];
        }
        return Math.sqrt(sum);
    }
}
