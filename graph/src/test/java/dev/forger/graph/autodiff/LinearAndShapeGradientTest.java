package dev.forger.graph.autodiff;

import static dev.forger.graph.autodiff.TestNets.withInput;

import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Gemm in every transpose combination, MatMul, and the data-moving ops. */
class LinearAndShapeGradientTest {
    final TestNets nets = new TestNets(11);

    private void check(ModelBuilder b, long... xShape) throws Exception {
        GradientCheck.of(b.build()).at(nets.uniform(xShape)).run();
    }

    @ParameterizedTest(name = "x as A, transA={0} transB={1}")
    @CsvSource({"0,0", "0,1", "1,0", "1,1"})
    void gemmWithTheInputAsA(long transA, long transB) throws Exception {
        // x is [N,4]; with transA the product is x^T (...), which mixes samples: the check is on the summed loss
        ModelBuilder b = withInput(4);
        int n = 3;
        long[] bShape = transA == 0 ? (transB == 0 ? new long[] {4, 5} : new long[] {5, 4})
                : (transB == 0 ? new long[] {n, 5} : new long[] {5, n});
        b.initializer("B", nets.gaussian(0.5, bShape), bShape);
        b.initializer("C", nets.gaussian(0.5, 5), 5);
        b.node("Gemm", "x", "B", "C").attr("alpha", 0.7f).attr("beta", 1.3f).attr("transA", transA)
                .attr("transB", transB).output("y");
        check(b, n, 4);
    }

    @ParameterizedTest(name = "x as B, transA={0} transB={1}")
    @CsvSource({"0,0", "0,1", "1,0", "1,1"})
    void gemmWithTheInputAsB(long transA, long transB) throws Exception {
        ModelBuilder b = withInput(4);
        int n = 3;
        // x is [3,4]: op(B) = transB ? x^T [4,3] : x [3,4]; op(A) must be [M, K] with K = 4 or 3
        long k = transB == 0 ? n : 4;
        long[] aShape = transA == 0 ? new long[] {2, k} : new long[] {k, 2};
        b.initializer("A", nets.gaussian(0.5, aShape), aShape);
        b.node("Gemm", "A", "x").attr("alpha", 1.5f).attr("transA", transA).attr("transB", transB).output("y");
        check(b, n, 4);
    }

    @Test
    void gemmWithAnInputDependentBias() throws Exception {
        ModelBuilder b = withInput(4);
        b.initializer("B", nets.gaussian(0.5, 4, 2), 4, 2);
        String t = b.node("Tanh", "x").output("t");
        b.initializer("ones", new float[] {1, 1, 1, 1}, 4, 1);
        String reduced = b.node("MatMul", t, "ones").output("r"); // [N,1], broadcast over Gemm's columns
        b.node("Gemm", "x", "B", reduced).attr("beta", 0.5f).output("y");
        check(b, 3, 4);
    }

    @Test
    void matMulWithAMatrix() throws Exception {
        ModelBuilder b = withInput(3, 4);
        b.initializer("W", nets.gaussian(0.5, 4, 5), 4, 5);
        b.node("MatMul", "x", "W").output("y");
        check(b, 2, 3, 4);
    }

    @Test
    void matMulWithAVector() throws Exception {
        ModelBuilder b = withInput(4);
        b.initializer("v", nets.gaussian(0.5, 4), 4);
        b.node("MatMul", "x", "v").output("y");
        check(b, 2, 4);
    }

    @Test
    void matMulWithTheInputOnTheRight() throws Exception {
        // W [5,3] @ x [N,3,4]: W broadcasts over the batch
        ModelBuilder b = withInput(3, 4);
        b.initializer("W", nets.gaussian(0.5, 5, 3), 5, 3);
        b.node("MatMul", "W", "x").output("y");
        check(b, 2, 3, 4);
    }

    @Test
    void reshapeFromAConstantNode() throws Exception {
        ModelBuilder b = withInput(2, 3);
        b.initializer("W", nets.gaussian(0.5, 6, 2), 6, 2);
        String shape = b.node("Constant").attr("value", Tensors.int64Vector("s", -1, 6)).output("shape");
        b.node("MatMul", b.node("Reshape", "x", shape).output("flat"), "W").output("y");
        check(b, 2, 2, 3);
    }

    @Test
    void flattenTransposeSqueezeUnsqueeze() throws Exception {
        ModelBuilder b = withInput(2, 3, 1);
        b.initializer("W", nets.gaussian(0.5, 2, 3), 2, 3);
        String squeezed = b.node("Squeeze", "x", b.int64Constant("last", 3)).output("sq");        // [N,2,3]
        String t = b.node("Transpose", squeezed).ints("perm", 0, 2, 1).output("t");              // [N,3,2]
        String scaled = b.node("MatMul", t, "W").output("m");                                     // [N,3,3]
        String u = b.node("Unsqueeze", scaled, b.int64Constant("first", 1)).output("u");          // [N,1,3,3]
        String f = b.node("Flatten", u).attr("axis", 1L).output("f");                             // [N,9]
        b.node("Tanh", b.node("Transpose", f).output("ft")).output("y");                          // [9,N]
        check(b, 2, 2, 3, 1);
    }
}
