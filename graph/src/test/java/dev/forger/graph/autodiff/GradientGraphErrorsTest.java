package dev.forger.graph.autodiff;

import static dev.forger.graph.autodiff.TestNets.withInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.forger.graph.OrtRunner;
import dev.forger.graph.onnx.FloatTensor;
import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.ValueInfo;
import org.junit.jupiter.api.Test;

/** What cannot be differentiated is refused with the node and operator named; names never clash. */
class GradientGraphErrorsTest {
    final TestNets nets = new TestNets(3);
    final Loss loss = Loss.binaryCrossEntropyWithLogits(1f);

    @Test
    void anUnsupportedOpOnThePathIsNamed() {
        ModelBuilder b = withInput(4);
        b.node("Erf", b.node("Tanh", "x").output("t")).name("special").output("y");
        assertThatThrownBy(() -> GradientGraph.derive(b.build(), "x", "y", loss))
                .isInstanceOf(UnsupportedGraphException.class)
                .hasMessageStartingWith("node 'special' (Erf) is on the path from input 'x' to output 'y' but Erf has no gradient rule");
    }

    @Test
    void anUnsupportedOpOffThePathIsPruned() throws Exception {
        ModelBuilder b = withInput(4).output(new ValueInfo("side", 1, null));
        b.node("Erf", "x").output("side");
        b.node("Tanh", "x").output("y");
        OnnxModel gradient = GradientGraph.derive(b.build(), "x", "y", loss);
        assertThat(gradient.nodes()).noneMatch(n -> n.getOpType().equals("Erf"));
        GradientCheck.of(b.build()).loss(loss, GradientCheck.bce(1f)).at(nets.uniform(2, 4)).run();
    }

    @Test
    void anOutputThatDoesNotDependOnTheInputIsRefused() {
        ModelBuilder b = withInput(4);
        b.initializer("c", new float[] {1, 2}, 2);
        b.node("Tanh", "c").output("y");
        assertThatThrownBy(() -> GradientGraph.derive(b.build(), "x", "y", loss))
                .hasMessage("output 'y' does not depend on input 'x'");
    }

    @Test
    void unknownNamesAreRefused() {
        ModelBuilder b = withInput(4);
        b.node("Tanh", "x").output("y");
        OnnxModel m = b.build();
        assertThatThrownBy(() -> GradientGraph.derive(m, "image", "y", loss))
                .hasMessage("model has no input 'image'; its inputs are [x]");
        assertThatThrownBy(() -> GradientGraph.derive(m, "x", "logits", loss))
                .hasMessage("no node produces output 'logits'");
    }

    @Test
    void oldOpsetsAreRefused() {
        ModelBuilder b = withInput(4).opset(11);
        b.node("Tanh", "x").output("y");
        assertThatThrownBy(() -> GradientGraph.derive(b.build(), "x", "y", loss))
                .hasMessageContaining("opset 11").hasMessageContaining("needs opset 13 or newer");
    }

    @Test
    void aWeightComputedFromTheInputIsRefused() {
        ModelBuilder b = withInput(1, 4, 4);
        b.node("Conv", "x", b.node("Tanh", "x").output("w")).name("conv").output("y");
        assertThatThrownBy(() -> GradientGraph.derive(b.build(), "x", "y", loss))
                .hasMessage("node 'conv' (Conv): input 1 'w' depends on input 'x', but Conv gradients treat it as a constant weight");
    }

    @Test
    void unsupportedAttributesAreNamed() {
        ModelBuilder b = withInput(2, 4, 4);
        b.initializer("w", nets.gaussian(0.5, 2, 1, 3, 3), 2, 1, 3, 3);
        b.node("Conv", "x", "w").name("grouped").attr("group", 2L).output("y");
        assertThatThrownBy(() -> GradientGraph.derive(b.build(), "x", "y", loss))
                .hasMessage("node 'grouped' (Conv): group=2 is not supported, only group=1");

        ModelBuilder same = withInput(1, 4, 4);
        same.initializer("w", nets.gaussian(0.5, 1, 1, 3, 3), 1, 1, 3, 3);
        same.node("Conv", "x", "w").attr("auto_pad", "SAME_UPPER").output("y");
        assertThatThrownBy(() -> GradientGraph.derive(same.build(), "x", "y", loss))
                .hasMessage("Conv node producing 'y': auto_pad=SAME_UPPER is not supported; export with explicit pads");
    }

    @Test
    void forwardValuesWithReservedNamesAreRenamed() throws Exception {
        // internal values called "grad" and "target" and an output already called "logit"
        ModelBuilder b = new ModelBuilder("clash").input(ValueInfo.batchedFloat("x", 3))
                .output(ValueInfo.batchedFloat("logit", 1));
        b.initializer("target", nets.gaussian(0.5, 3, 1), 3, 1);
        String grad = b.node("Tanh", "x").output("grad");
        b.node("Gemm", grad, "target").output("logit");
        OnnxModel forward = b.build();
        GradientCheck.of(forward).output("logit").loss(Loss.binaryCrossEntropyWithLogits(), GradientCheck.bce(new float[] {1, 0}))
                .targets(FloatTensor.of(new float[] {1, 0}, 2, 1)).at(nets.uniform(2, 3)).run();
        OnnxModel gradient = GradientGraph.derive(forward, "x", "logit", Loss.binaryCrossEntropyWithLogits());
        assertThat(gradient.inputs()).extracting(ValueInfo::name).containsExactly("x", "target");
        assertThat(gradient.outputs()).extracting(ValueInfo::name).containsExactly("logit", "grad");
    }

    @Test
    void theLogitOutputMayBeAnInternalValue() throws Exception {
        // a classifier ending in Softmax: the loss goes on the logits before it
        ModelBuilder b = withInput(4);
        b.initializer("w", nets.gaussian(1, 4, 3), 4, 3);
        b.node("Softmax", b.node("MatMul", "x", "w").output("logits")).output("y");
        OnnxModel gradient = GradientGraph.derive(b.build(), "x", "logits", Loss.crossEntropy(1));
        assertThat(gradient.outputs()).extracting(ValueInfo::name).containsExactly("logit", "grad");
        assertThat(gradient.nodes()).noneMatch(n -> n.getOutputList().contains("y"));
        GradientCheck.of(b.build()).output("logits").loss(Loss.crossEntropy(1), GradientCheck.crossEntropy(1))
                .at(nets.uniform(2, 4)).run();
    }

    @Test
    void closedFormOfALogisticRegression() throws Exception {
        // logit = w.x + b, BCE towards t: grad = (sigmoid(logit) - t) w, independent of finite differences
        float[] w = {0.5f, -1f, 2f};
        ModelBuilder b = withInput(3);
        b.initializer("w", w, 3, 1);
        b.initializer("b", new float[] {0.25f}, 1);
        b.node("Gemm", "x", "w", "b").output("y");
        float[] x = {0.1f, 0.2f, -0.3f, 1f, 0f, -1f};
        try (OrtRunner ort = new OrtRunner(GradientGraph.derive(b.build(), "x", "y", Loss.binaryCrossEntropyWithLogits(0f)))) {
            float[] grad = ort.run("x", FloatTensor.of(x, 2, 3), "grad").data();
            for (int n = 0; n < 2; n++) {
                double z = 0.25;
                for (int k = 0; k < 3; k++) {
                    z += x[n * 3 + k] * w[k];
                }
                double s = 1 / (1 + Math.exp(-z));
                for (int k = 0; k < 3; k++) {
                    assertThat((double) grad[n * 3 + k]).isCloseTo(s * w[k], within(1e-6));
                }
            }
        }
    }

    @Test
    void theCheckerCatchesAWrongGradient() {
        // the derived graph is for target 1, the finite differences for target 0: must not pass
        ModelBuilder b = withInput(5);
        b.initializer("w", nets.gaussian(0.5, 5, 1), 5, 1);
        b.node("Gemm", b.node("Tanh", "x").output("t"), "w").output("y");
        assertThatThrownBy(() -> GradientCheck.of(b.build()).loss(Loss.binaryCrossEntropyWithLogits(1f), GradientCheck.bce(0f))
                .at(nets.uniform(2, 5)).run())
                .isInstanceOf(AssertionError.class).hasMessageContaining("gradient mismatches");
    }

    @Test
    void lossArgumentsAreChecked() {
        assertThatThrownBy(() -> Loss.binaryCrossEntropyWithLogits(2f)).hasMessage("BCE target must be in [0, 1], was 2.0");
        assertThatThrownBy(() -> Loss.crossEntropy(-1)).hasMessage("class index must not be negative, was -1");
    }
}
