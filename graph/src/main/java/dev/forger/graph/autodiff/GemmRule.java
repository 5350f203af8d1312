package dev.forger.graph.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;

/**
 * Gemm: Y = alpha * op(A) op(B) + beta * C, with op = transpose when transA/transB is set.
 * The input gradients are Gemms themselves, with the transpose flags folded in:
 * dA = alpha * g op(B)^T (or its transpose when transA), dB = alpha * op(A)^T g (or its transpose
 * when transB), dC = beta * g summed back to C's shape.
 */
final class GemmRule implements Rule {
    @Override
    public Slot slot(NodeProto node, int index) {
        return Slot.DIFFERENTIABLE;
    }

    @Override
    public void backward(Step s) {
        Emitter e = s.e();
        String g = s.grad();
        String a = s.in(0);
        String b = s.in(1);
        float alpha = s.attr().getFloat("alpha", 1f);
        float beta = s.attr().getFloat("beta", 1f);
        long transA = s.attr().getInt("transA", 0);
        long transB = s.attr().getInt("transB", 0);
        if (s.wants(0)) {
            String da = transA == 0
                    ? gemm(e, g, b, alpha, 0, 1 - transB)   // g op(B)^T
                    : gemm(e, b, g, alpha, transB, 1);      // (g op(B)^T)^T = op(B) g^T
            s.give(0, da);
        }
        if (s.wants(1)) {
            String db = transB == 0
                    ? gemm(e, a, g, alpha, 1 - transA, 0)   // op(A)^T g
                    : gemm(e, g, a, alpha, 1, transA);      // (op(A)^T g)^T = g^T op(A)
            s.give(1, db);
        }
        if (s.wants(2)) {
            s.give(2, e.sumToShape(e.scale(g, beta), s.in(2)));
        }
    }

    private static String gemm(Emitter e, String x, String y, float alpha, long transX, long transY) {
        return e.node("Gemm", x, y).attr("alpha", alpha).attr("transA", transX).attr("transB", transY)
                .output(e.fresh("grad_gemm"));
    }
}
