package dev.forger.graph.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;

/**
 * Ops that only move data: Reshape, Flatten, Squeeze, Unsqueeze reshape the gradient back to the
 * input's run-time shape; Transpose applies the inverse permutation. Shape and axes inputs are
 * integer data that may themselves be computed from the input (PyTorch's Shape/Gather/Concat).
 */
final class ShapeRules implements Rule {
    @Override
    public Slot slot(NodeProto node, int index) {
        return index == 0 ? Slot.DIFFERENTIABLE : Slot.DISCRETE;
    }

    @Override
    public void backward(Step s) {
        Emitter e = s.e();
        String g = s.grad();
        String gx = switch (s.node().getOpType()) {
            case "Reshape", "Flatten", "Squeeze", "Unsqueeze" -> e.reshapeLike(g, s.in(0));
            case "Transpose" -> {
                long[] perm = s.attr().getInts("perm");
                if (perm == null) {
                    yield e.op("Transpose", "grad_transposed", g); // reversing the axes is its own inverse
                }
                long[] inverse = new long[perm.length];
                for (int i = 0; i < perm.length; i++) {
                    inverse[(int) perm[i]] = i;
                }
                yield e.node("Transpose", g).ints("perm", inverse).output(e.fresh("grad_transposed"));
            }
            default -> throw s.unsupported("no shape rule");
        };
        s.give(0, gx);
    }
}
