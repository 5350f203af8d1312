package dev.forger.graph.autodiff;

import static dev.forger.graph.autodiff.TestNets.withInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.forger.graph.OrtRunner;
import dev.forger.graph.onnx.FloatTensor;
import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.NodeBuilder;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.ValueInfo;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Convolutions in several geometries, BatchNormalization and the pools. */
class ConvAndPoolGradientTest {
    final TestNets nets = new TestNets(13);

    private void check(ModelBuilder b, long... xShape) throws Exception {
        GradientCheck.of(b.build()).at(nets.uniform(xShape)).run();
    }

    @ParameterizedTest(name = "H={0} k={1} s={2} pads={3},{4},{5},{6} dilation={7} bias={8}")
    @CsvSource({
            "8, 3, 1, 1, 1, 1, 1, 1, false",   // same-size 3x3
            "8, 4, 2, 1, 1, 1, 1, 1, false",   // the DCGAN layer: 8 -> 4
            "8, 3, 2, 0, 0, 0, 0, 1, true",    // 8 -> 3: the last row is never read and needs a zero gradient
            "7, 3, 2, 1, 1, 1, 1, 1, true",    // odd size
            "9, 2, 3, 0, 1, 1, 0, 1, false",   // asymmetric pads, stride > kernel (skips rows and columns)
            "9, 3, 1, 0, 0, 0, 0, 2, true",    // dilated
    })
    void conv2d(int h, int k, int s, long padTop, long padLeft, long padBottom, long padRight, int dilation,
            boolean bias) throws Exception {
        ModelBuilder b = withInput(2, h, h + 1); // non-square, to catch swapped axes
        nets.conv(b, "w", 3, 2, k, bias);
        NodeBuilder conv = bias ? b.node("Conv", "x", "w", "w_b") : b.node("Conv", "x", "w");
        conv.ints("kernel_shape", k, k).ints("strides", s, s).ints("pads", padTop, padLeft, padBottom, padRight)
                .ints("dilations", dilation, dilation).output("y");
        check(b, 2, 2, h, h + 1);
    }

    @Test
    void conv2dWithDefaultsAndNonSquareKernel() throws Exception {
        ModelBuilder b = withInput(2, 6, 5);
        b.initializer("w", nets.gaussian(0.4, 4, 2, 3, 2), 4, 2, 3, 2);
        b.node("Conv", "x", "w").ints("strides", 2, 1).output("y");
        check(b, 2, 2, 6, 5);
    }

    @Test
    void conv1d() throws Exception {
        ModelBuilder b = withInput(2, 9);
        b.initializer("w", nets.gaussian(0.5, 3, 2, 3), 3, 2, 3);
        b.node("Conv", "x", "w").ints("strides", 2).ints("pads", 1, 0).output("y");
        check(b, 2, 2, 9);
    }

    @Test
    void convValidAutoPad() throws Exception {
        ModelBuilder b = withInput(1, 7, 7);
        nets.conv(b, "w", 2, 1, 3, false);
        b.node("Conv", "x", "w").attr("auto_pad", "VALID").ints("strides", 2, 2).output("y");
        check(b, 2, 1, 7, 7);
    }

    @ParameterizedTest(name = "k={0} s={1} p={2} output_padding={3}")
    @CsvSource({"4, 2, 1, 0", "3, 2, 1, 1", "3, 1, 0, 0"})
    void convTranspose(int k, int s, int p, int outputPadding) throws Exception {
        ModelBuilder b = withInput(3, 4, 5);
        b.initializer("w", nets.gaussian(0.4, 3, 2, k, k), 3, 2, k, k);
        b.initializer("bias", nets.gaussian(0.1, 2), 2);
        b.node("ConvTranspose", "x", "w", "bias").ints("strides", s, s).ints("pads", p, p, p, p)
                .ints("output_padding", outputPadding, outputPadding).output("y");
        check(b, 2, 3, 4, 5);
    }

    @Test
    void batchNormalizationInInferenceMode() throws Exception {
        ModelBuilder b = withInput(3, 4, 4);
        nets.batchNorm(b, "bn", 3);
        b.node("BatchNormalization", "x", "bn_scale", "bn_bias", "bn_mean", "bn_var").attr("epsilon", 1e-3f).output("y");
        check(b, 2, 3, 4, 4);
    }

    @Test
    void batchNormalizationOnAVector() throws Exception {
        ModelBuilder b = withInput(5);
        nets.batchNorm(b, "bn", 5);
        b.node("BatchNormalization", "x", "bn_scale", "bn_bias", "bn_mean", "bn_var").output("y");
        check(b, 2, 5);
    }

    @Test
    void maxPoolWithDisjointWindows() throws Exception {
        ModelBuilder b = withInput(2, 6, 6);
        b.node("MaxPool", "x").ints("kernel_shape", 2, 2).ints("strides", 2, 2).output("y");
        check(b, 2, 2, 6, 6);
    }

    @Test
    void maxPoolWithOverlappingWindowsAndPadding() throws Exception {
        // 3x3 windows at stride 1: one element can be the maximum of several windows (contributions add)
        ModelBuilder b = withInput(2, 5, 5);
        b.node("MaxPool", "x").ints("kernel_shape", 3, 3).ints("strides", 1, 1).ints("pads", 1, 1, 1, 1).output("y");
        check(b, 2, 2, 5, 5);
    }

    @Test
    void maxPoolSendsATiedWindowsGradientToTheElementItReports() throws Exception {
        // a generated digit's background is exactly -1, so a classifier's MaxPool windows there hold equal
        // values: the loss has no derivative and finite differences cannot check the rule. What it must give is
        // the subgradient of the element MaxPool reports, whose flat index counts batch and channel (ONNX spec):
        // checked exactly against the index a separate MaxPool with an Indices output reports, on two samples
        // of three channels
        Random random = new Random(3);
        float[] x = new float[2 * 3 * 4 * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(4) < 3 ? -1f : random.nextInt(3) * 0.5f; // mostly a saturated background
        }
        FloatTensor input = FloatTensor.of(x, 2, 3, 4, 6);
        float target = 0.3f;
        float[] grad;
        try (OrtRunner derived = new OrtRunner(GradientGraph.derive(maxPool2x2(false), "x", "y",
                Loss.binaryCrossEntropyWithLogits(target)))) {
            grad = derived.run(Map.of("x", input)).get(GradientGraph.GRAD).data();
        }
        Map<String, FloatTensor> pooled;
        try (OrtRunner runner = new OrtRunner(maxPool2x2(true))) {
            pooled = runner.run(Map.of("x", input));
        }
        float[] y = pooled.get("y").data();
        float[] indices = pooled.get("indices").data();
        double[] expected = new double[x.length];
        int tied = 0;
        for (int o = 0; o < y.length; o++) {
            expected[(int) indices[o]] += 1 / (1 + Math.exp(-y[o])) - target;
            int plane = o / 6; // (sample, channel): 2x3 windows of a 4x6 plane each
            int equal = 0;
            for (int dy = 0; dy < 2; dy++) {
                for (int dx = 0; dx < 2; dx++) {
                    equal += x[plane * 24 + (2 * (o % 6 / 3) + dy) * 6 + 2 * (o % 3) + dx] == y[o] ? 1 : 0;
                }
            }
            tied += equal > 1 ? 1 : 0;
        }
        assertThat(tied).as("windows whose maximum ties").isGreaterThan(y.length / 4);
        for (int i = 0; i < x.length; i++) {
            assertThat((double) grad[i]).as("grad[%d]", i).isCloseTo(expected[i], within(1e-6));
        }
    }

    private static OnnxModel maxPool2x2(boolean withIndices) {
        ModelBuilder b = withInput(3, 4, 6);
        NodeBuilder pool = b.node("MaxPool", "x").ints("kernel_shape", 2, 2).ints("strides", 2, 2);
        if (withIndices) {
            pool.outputs("y", "indices");
            b.output(new ValueInfo("indices", DataType.INT64_VALUE, null));
        } else {
            pool.output("y");
        }
        return b.build();
    }

    @Test
    void maxPoolInAnOpset13ModelRaisesTheGradientModelToOpset16() throws Exception {
        ModelBuilder b = withInput(2, 4, 4).opset(13).irVersion(7);
        b.node("Softmax", b.node("MaxPool", "x").ints("kernel_shape", 2, 2).ints("strides", 2, 2).output("p"))
                .attr("axis", 1L).output("y");
        assertThat(
                GradientGraph.derive(b.build(), "x", "y", Loss.binaryCrossEntropyWithLogits(1f)).opset()).isEqualTo(16);
        check(b, 2, 2, 4, 4);
    }

    @Test
    void maxPoolWithCeilMode() throws Exception {
        ModelBuilder b = withInput(1, 5, 5);
        b.node("MaxPool", "x").ints("kernel_shape", 2, 2).ints("strides", 2, 2).attr("ceil_mode", 1L).output("y");
        check(b, 2, 1, 5, 5);
    }

    @ParameterizedTest(name = "k={0} s={1} p={2} count_include_pad={3}")
    @CsvSource({"2, 2, 0, 0", "3, 1, 1, 0", "3, 2, 1, 1", "3, 2, 0, 0"})
    void averagePool(int k, int s, int p, long countIncludePad) throws Exception {
        ModelBuilder b = withInput(2, 6, 7);
        b.node("AveragePool", "x").ints("kernel_shape", k, k).ints("strides", s, s).ints("pads", p, p, p, p)
                .attr("count_include_pad", countIncludePad).output("y");
        check(b, 2, 2, 6, 7);
    }

    @Test
    void globalAveragePool() throws Exception {
        ModelBuilder b = withInput(3, 4, 5);
        b.node("GlobalAveragePool", "x").output("y");
        check(b, 2, 3, 4, 5);
    }
}
