package dev.forger.graph.autodiff;

import static dev.forger.graph.autodiff.TestNets.withInput;

import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.OnnxModel;
import org.junit.jupiter.api.Test;

/** One small gradient check per element-wise and arithmetic operator (BCE towards 0.3 on all outputs). */
class ActivationAndArithmeticGradientTest {
    final TestNets nets = new TestNets(7);

    private void check(ModelBuilder b, long... xShape) throws Exception {
        GradientCheck.of(b.build()).at(nets.uniform(xShape)).run();
    }

    private static OnnxModel unary(String op, long... dims) {
        ModelBuilder b = withInput(dims);
        b.node(op, "x").output("y");
        return b.build();
    }

    @Test
    void relu() throws Exception {
        GradientCheck.of(unary("Relu", 3, 4)).at(nets.uniform(2, 3, 4)).run();
    }

    @Test
    void leakyRelu() throws Exception {
        ModelBuilder b = withInput(12);
        b.node("LeakyRelu", "x").attr("alpha", 0.2f).output("y");
        check(b, 2, 12);
    }

    @Test
    void leakyReluDefaultAlpha() throws Exception {
        // scaled up so the 0.01 slope on the negative side is visible above the tolerance
        ModelBuilder b = withInput(12);
        b.initializer("s", new float[] {30f}, 1);
        b.node("LeakyRelu", b.node("Mul", "x", "s").output("xs")).output("y");
        check(b, 2, 12);
    }

    @Test
    void sigmoid() throws Exception {
        GradientCheck.of(unary("Sigmoid", 10)).at(nets.uniform(2, 10)).run();
    }

    @Test
    void tanh() throws Exception {
        GradientCheck.of(unary("Tanh", 10)).at(nets.uniform(2, 10)).run();
    }

    @Test
    void identityAndDropout() throws Exception {
        ModelBuilder b = withInput(6);
        b.node("Dropout", b.node("Identity", "x").output("i")).attr("seed", 1L).output("y");
        check(b, 2, 6);
    }

    @Test
    void softmaxOverTheLastAxis() throws Exception {
        // scaled so the softmax is not flat; BCE towards 0.3 of probabilities is a fine smooth loss
        ModelBuilder b = withInput(3, 5);
        b.initializer("s", new float[] {3f}, 1);
        b.node("Softmax", b.node("Mul", "x", "s").output("xs")).output("y");
        check(b, 2, 3, 5);
    }

    @Test
    void softmaxOverAMiddleAxis() throws Exception {
        ModelBuilder b = withInput(4, 3);
        b.initializer("s", new float[] {3f}, 1);
        b.node("Softmax", b.node("Mul", "x", "s").output("xs")).attr("axis", 1L).output("y");
        check(b, 2, 4, 3);
    }

    @Test
    void addWithABroadcastInitializer() throws Exception {
        ModelBuilder b = withInput(3, 4, 4);
        b.initializer("bias", nets.gaussian(1, 3, 1, 1), 3, 1, 1);
        b.node("Add", "x", "bias").output("y");
        check(b, 2, 3, 4, 4);
    }

    @Test
    void addWhereTheInputIsBroadcast() throws Exception {
        // x [N,3,1,1] + c [3,4,4] -> [N,3,4,4]: x's gradient sums over the broadcast 4x4
        ModelBuilder b = withInput(3, 1, 1);
        b.initializer("c", nets.gaussian(1, 3, 4, 4), 3, 4, 4);
        b.node("Add", "c", "x").output("y");
        check(b, 2, 3, 1, 1);
    }

    @Test
    void fanOutAccumulatesContributions() throws Exception {
        // y = x + tanh(x) * x: x feeds three nodes
        ModelBuilder b = withInput(8);
        String t = b.node("Tanh", "x").output("t");
        String m = b.node("Mul", t, "x").output("m");
        b.node("Add", "x", m).output("y");
        check(b, 2, 8);
    }

    @Test
    void subBothWays() throws Exception {
        ModelBuilder b = withInput(5);
        b.initializer("c", nets.gaussian(1, 5), 5);
        String d = b.node("Sub", "c", "x").output("d");
        String e = b.node("Sub", d, b.node("Tanh", "x").output("t")).output("e");
        b.node("Sub", e, "c").output("y");
        check(b, 2, 5);
    }

    @Test
    void mulWithBroadcastAndBothSidesActive() throws Exception {
        ModelBuilder b = withInput(2, 3);
        b.initializer("w", nets.gaussian(1, 3), 3);
        String wx = b.node("Mul", "x", "w").output("wx");
        b.node("Mul", wx, b.node("Sigmoid", "x").output("s")).output("y");
        check(b, 2, 2, 3);
    }

    @Test
    void mulWhereTheInputIsBroadcast() throws Exception {
        ModelBuilder b = withInput(1, 3);
        b.initializer("w", nets.gaussian(1, 4, 3), 4, 3);
        b.node("Mul", "x", "w").output("y");
        check(b, 2, 1, 3);
    }

    @Test
    void divAndNeg() throws Exception {
        ModelBuilder b = withInput(6);
        b.initializer("c", nets.uniformValues(1, 2, 6), 6);
        b.initializer("one", new float[] {1f}, 1);
        String q = b.node("Div", "x", "c").output("q");
        String denominator = b.node("Add", b.node("Mul", "x", "x").output("x2"), "one").output("den");
        String r = b.node("Div", "c", denominator).output("r");
        b.node("Neg", b.node("Add", q, r).output("s")).output("y");
        check(b, 2, 6);
    }
}
