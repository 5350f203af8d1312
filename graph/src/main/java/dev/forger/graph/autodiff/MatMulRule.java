package dev.forger.graph.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;

/**
 * MatMul with NumPy semantics: dA = g B^T, dB = A^T g (transposing the last two axes), summed back
 * over broadcast batch axes. A 1-D B (matrix-vector product) gives dA = g[..., None] * B. Transposing
 * needs the operand's rank, which the model must record (initializers always do).
 */
final class MatMulRule implements Rule {
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
        if (s.wants(0)) {
            int rankB = rank(s, b);
            String da = rankB == 1
                    ? e.mul(e.op("Unsqueeze", "grad_col", g, e.int64s(-1)), b)
                    : e.op("MatMul", "grad_matmul", g, transposeLastTwo(e, b, rankB));
            s.give(0, e.sumToShape(da, a));
        }
        if (s.wants(1)) {
            int rankA = rank(s, a);
            int rankB = rank(s, b);
            if (rankA < 2 || rankB < 2) {
                throw s.unsupported("gradient towards a MatMul operand of rank " + rankB + " with the other of rank "
                        + rankA + " is not supported (both need rank >= 2)");
            }
            s.give(1, e.sumToShape(e.op("MatMul", "grad_matmul", transposeLastTwo(e, a, rankA), g), b));
        }
    }

    private static int rank(Step s, String value) {
        return s.e().rank(value).orElseThrow(() -> s.unsupported("the rank of '" + value
                + "' is not recorded in the model (needed to transpose it)"));
    }

    private static String transposeLastTwo(Emitter e, String value, int rank) {
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 1] = rank - 2;
        perm[rank - 2] = rank - 1;
        return e.node("Transpose", value).ints("perm", perm).output(e.fresh("transposed"));
    }
}
