package dev.forger.graph.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;

/**
 * Add, Sub, Mul, Div, Neg with NumPy broadcasting. The gradient towards an operand that was
 * broadcast is summed back to its shape ({@link Emitter#sumToShape}), unless the other operand is a
 * single-element constant, which cannot broadcast anything.
 */
final class ArithmeticRules implements Rule {
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
        switch (s.node().getOpType()) {
            case "Add" -> {
                s.give(0, unbroadcast(e, g, a, b));
                s.give(1, unbroadcast(e, g, b, a));
            }
            case "Sub" -> {
                s.give(0, unbroadcast(e, g, a, b));
                if (s.wants(1)) {
                    s.give(1, e.op("Neg", "grad_neg", unbroadcast(e, g, b, a)));
                }
            }
            case "Mul" -> {
                if (s.wants(0)) {
                    s.give(0, unbroadcast(e, e.mul(g, b), a, b));
                }
                if (s.wants(1)) {
                    s.give(1, unbroadcast(e, e.mul(g, a), b, a));
                }
            }
            case "Div" -> {
                // y = a / b: da = g / b, db = -g a / b^2 = -(g / b) * y
                String gOverB = e.op("Div", "grad_div", g, b);
                s.give(0, unbroadcast(e, gOverB, a, b));
                if (s.wants(1)) {
                    s.give(1, unbroadcast(e, e.op("Neg", "grad_neg", e.mul(gOverB, s.out(0))), b, a));
                }
            }
            case "Neg" -> s.give(0, e.op("Neg", "grad_neg", g));
            default -> throw s.unsupported("no arithmetic rule");
        }
    }

    private static String unbroadcast(Emitter e, String g, String operand, String other) {
        long[] otherShape = e.constantShape(other);
        boolean otherIsOneElement = otherShape != null && otherShape.length <= 1
                && (otherShape.length == 0 || otherShape[0] == 1);
        return otherIsOneElement ? g : e.sumToShape(g, operand);
    }
}
