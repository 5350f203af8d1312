package dev.forger.graph.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.forger.graph.OrtRunner;
import dev.forger.graph.onnx.FloatTensor;
import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.Tensors;
import dev.forger.graph.onnx.ValueInfo;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole networks: the DCGAN discriminator, a PyTorch-style export of one, and a small classifier. */
class NetworkGradientTest {
    final TestNets nets = new TestNets(42);

    /**
     * The trainer's discriminator layout on a 3x32x32 image: three Conv k4 s2 p1 (no bias) layers,
     * BatchNormalization on the 2nd and 3rd, LeakyReLU(0.2), Reshape by a Constant shape, Gemm to
     * the logit [N,1].
     */
    OnnxModel dcganDiscriminator() {
        ModelBuilder b = new ModelBuilder("discriminator").input(ValueInfo.batchedFloat("image", 3, 32, 32))
                .output(ValueInfo.batchedFloat("logit", 1));
        String h = "image";
        int[] channels = {3, 8, 16, 32};
        for (int layer = 1; layer <= 3; layer++) {
            String w = nets.conv(b, "conv" + layer + "_w", channels[layer], channels[layer - 1], 4, false);
            h = b.node("Conv", h, w).ints("kernel_shape", 4, 4).ints("strides", 2, 2).ints("pads", 1, 1, 1, 1)
                    .output("conv" + layer);
            if (layer > 1) {
                nets.batchNorm(b, "bn" + layer, channels[layer]);
                h = b.node("BatchNormalization", h, "bn" + layer + "_scale", "bn" + layer + "_bias",
                        "bn" + layer + "_mean", "bn" + layer + "_var").output("bn" + layer);
            }
            h = b.node("LeakyRelu", h).attr("alpha", 0.2f).output("act" + layer);
        }
        String shape = b.node("Constant").attr("value", Tensors.int64Vector("flat_shape", -1, 32 * 4 * 4)).output("flat_shape");
        String flat = b.node("Reshape", h, shape).output("flat");
        b.initializer("dense_w", nets.gaussian(Math.sqrt(1.0 / 512), 512, 1), 512, 1);
        b.initializer("dense_b", new float[] {0.1f}, 1);
        b.node("Gemm", flat, "dense_w", "dense_b").output("logit");
        return b.build();
    }

    /** A discriminator as torch.onnx.export writes one (see {@link GanTestNets}). */
    OnnxModel pytorchStyleDiscriminator(String flattenStyle) {
        return new GanTestNets(nets).discriminator(flattenStyle);
    }

    /** conv-relu-maxpool twice, then two dense layers to 10 class logits (and a Softmax on top). */
    OnnxModel classifier() {
        ModelBuilder b = new ModelBuilder("classifier").input(ValueInfo.batchedFloat("x", 1, 12, 12))
                .output(ValueInfo.batchedFloat("probabilities", 10));
        String h = "x";
        int[] channels = {1, 4, 8};
        for (int layer = 1; layer <= 2; layer++) {
            String w = nets.conv(b, "c" + layer, channels[layer], channels[layer - 1], 3, true);
            h = b.node("Conv", h, w, w + "_b").ints("pads", 1, 1, 1, 1).output("conv" + layer);
            h = b.node("Relu", h).output("relu" + layer);
            h = b.node("MaxPool", h).ints("kernel_shape", 2, 2).ints("strides", 2, 2).output("pool" + layer);
        }
        h = b.node("Flatten", h).output("flat"); // [N, 8*3*3]
        b.initializer("d1", nets.gaussian(Math.sqrt(2.0 / 72), 72, 16), 72, 16);
        b.initializer("d1_b", nets.gaussian(0.1, 16), 16);
        h = b.node("Relu", b.node("Gemm", h, "d1", "d1_b").output("dense1")).output("hidden");
        b.initializer("d2", nets.gaussian(Math.sqrt(1.0 / 16) * 3, 16, 10), 16, 10);
        String logits = b.node("Gemm", h, "d2").output("logits");
        b.node("Softmax", logits).attr("axis", 1L).output("probabilities");
        return b.build();
    }

    @Test
    void dcganDiscriminatorTowardsReal() throws Exception {
        GradientCheck.of(dcganDiscriminator()).input("image").output("logit")
                .loss(Loss.binaryCrossEntropyWithLogits(1f), GradientCheck.bce(1f))
                .at(nets.uniform(2, 3, 32, 32)).coordinates(30).run();
    }

    @Test
    void dcganDiscriminatorWithPerSampleTargets() throws Exception {
        GradientCheck.of(dcganDiscriminator()).input("image").output("logit")
                .loss(Loss.binaryCrossEntropyWithLogits(), GradientCheck.bce(new float[] {1f, 0f}))
                .targets(FloatTensor.of(new float[] {1f, 0f}, 2, 1))
                .at(nets.uniform(2, 3, 32, 32)).coordinates(30).run();
    }

    @Test
    void pytorchStyleDiscriminatorWithFlatten() throws Exception {
        checkPytorchStyle("Flatten");
    }

    @Test
    void pytorchStyleDiscriminatorWithConstantShapeReshape() throws Exception {
        checkPytorchStyle("Constant");
    }

    @Test
    void pytorchStyleDiscriminatorWithDynamicShapeReshape() throws Exception {
        // Shape -> Gather -> Unsqueeze -> Concat depend on the input but carry no gradient: no rules needed
        checkPytorchStyle("Shape");
    }

    private void checkPytorchStyle(String flattenStyle) throws Exception {
        GradientCheck.of(pytorchStyleDiscriminator(flattenStyle)).input("input").output("output")
                .loss(Loss.binaryCrossEntropyWithLogits(0f), GradientCheck.bce(0f))
                .at(nets.uniform(3, 1, 16, 16)).coordinates(30).run();
    }

    @Test
    void classifierCrossEntropyTowardsAFixedClass() throws Exception {
        GradientCheck.of(classifier()).output("logits").loss(Loss.crossEntropy(3), GradientCheck.crossEntropy(3))
                .at(nets.uniform(2, 1, 12, 12)).coordinates(30).run();
    }

    @Test
    void classifierCrossEntropyWithPerSampleClasses() throws Exception {
        GradientCheck.of(classifier()).output("logits").loss(Loss.crossEntropy(), GradientCheck.crossEntropy(3, 7))
                .classes(3, 7).at(nets.uniform(2, 1, 12, 12)).coordinates(30).run();
    }

    @Test
    void classifierLogitMarginOfAFixedClass() throws Exception {
        GradientCheck.of(classifier()).output("logits").loss(Loss.logitMargin(2), GradientCheck.logitMargin(2))
                .at(nets.uniform(2, 1, 12, 12)).coordinates(30).run();
    }

    @Test
    void classifierLogitMarginWithPerSampleClasses() throws Exception {
        GradientCheck.of(classifier()).output("logits").loss(Loss.logitMargin(), GradientCheck.logitMargin(0, 9))
                .classes(0, 9).at(nets.uniform(2, 1, 12, 12)).coordinates(30).run();
    }

    @Test
    void gradientsArePerSample() throws Exception {
        // sample 1's gradient is the same alone and in a batch of three: the batch never scales it
        OnnxModel gradient = GradientGraph.derive(dcganDiscriminator(), "image", "logit", Loss.binaryCrossEntropyWithLogits(1f));
        FloatTensor batch = nets.uniform(3, 3, 32, 32);
        int sample = 3 * 32 * 32;
        FloatTensor second = FloatTensor.of(Arrays.copyOfRange(batch.data(), sample, 2 * sample), 1, 3, 32, 32);
        try (OrtRunner ort = new OrtRunner(gradient)) {
            float[] inBatch = ort.run("image", batch, GradientGraph.GRAD).data();
            float[] alone = ort.run("image", second, GradientGraph.GRAD).data();
            double maxAbs = GradientCheck.maxAbs(alone);
            assertThat(maxAbs).isGreaterThan(1e-4);
            for (int i = 0; i < sample; i++) {
                assertThat(inBatch[sample + i]).isCloseTo(alone[i], within((float) (1e-5 * maxAbs)));
            }
        }
    }

    @Test
    void derivedModelRunsWithOnnxRuntimeOptimisationsAndKeepsMetadata() throws Exception {
        OnnxModel forward = ModelBuilder.copyOf(dcganDiscriminator()).metadata("forger.network", "discriminator").build();
        OnnxModel gradient = GradientGraph.derive(forward, Loss.binaryCrossEntropyWithLogits(1f));
        assertThat(gradient.inputs()).extracting(ValueInfo::name).containsExactly("image");
        assertThat(gradient.outputs()).extracting(ValueInfo::name).containsExactly("logit", "grad");
        assertThat(gradient.output("grad").shape()).isEqualTo(forward.input("image").shape());
        assertThat(gradient.metadata()).containsEntry("forger.network", "discriminator")
                .containsEntry("forger.gradient.input", "image").containsEntry("forger.gradient.output", "logit")
                .containsEntry("forger.gradient.loss", "binaryCrossEntropyWithLogits(target 1.0)");
        // the service runs sessions with the default (full) optimisation level
        try (ai.onnxruntime.OrtSession session = ai.onnxruntime.OrtEnvironment.getEnvironment()
                .createSession(gradient.toBytes(), new ai.onnxruntime.OrtSession.SessionOptions());
             OrtRunner plain = new OrtRunner(gradient)) {
            FloatTensor x = nets.uniform(2, 3, 32, 32);
            float[] expected = plain.run("image", x, "grad").data();
            try (ai.onnxruntime.OnnxTensor input = ai.onnxruntime.OnnxTensor.createTensor(
                    ai.onnxruntime.OrtEnvironment.getEnvironment(), java.nio.FloatBuffer.wrap(x.data()), x.shape());
                 ai.onnxruntime.OrtSession.Result result = session.run(Map.of("image", input))) {
                float[][][][] grad = (float[][][][]) result.get("grad").get().getValue();
                assertThat(grad[1][2][31][31]).isCloseTo(expected[expected.length - 1], within(1e-5f));
                assertThat(grad[0][0][0][0]).isCloseTo(expected[0], within(1e-5f));
            }
        }
    }
}
