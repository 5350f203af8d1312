package dev.forger.graph.autodiff;

/**
 * Element-wise activations and pass-through ops. Derivatives use the forward output where that is
 * cheaper (sigmoid' = y(1-y), tanh' = 1-y^2). ReLU-type kinks take the left derivative at exactly 0.
 * Dropout is differentiated as in inference (identity): the service never trains.
 */
final class ActivationRules implements Rule {
    @Override
    public void backward(Step s) {
        Emitter e = s.e();
        String g = s.grad();
        String x = s.in(0);
        String zero = e.floatScalar(0f);
        String gx = switch (s.node().getOpType()) {
            case "Identity", "Dropout" -> g;
            case "Relu" -> e.op("Where", "grad_relu", e.op("Greater", "relu_on", x, zero), g, zero);
            case "LeakyRelu" -> {
                float alpha = s.attr().getFloat("alpha", 0.01f);
                yield e.op("Where", "grad_leaky", e.op("Greater", "leaky_on", x, zero), g, e.scale(g, alpha));
            }
            case "Sigmoid" -> {
                String y = s.out(0);
                yield e.mul(e.mul(g, y), e.op("Sub", "one_minus_y", e.floatScalar(1f), y));
            }
            case "Tanh" -> {
                String y = s.out(0);
                yield e.mul(g, e.op("Sub", "one_minus_y2", e.floatScalar(1f), e.mul(y, y)));
            }
            case "Softmax" -> {
                // dx = y * (g - sum(g * y)) along the softmax axis (opset >= 13: one axis)
                String y = s.out(0);
                long axis = s.attr().getInt("axis", -1);
                String dot = e.node("ReduceSum", e.mul(g, y), e.int64s(axis)).attr("keepdims", 1L)
                        .output(e.fresh("softmax_dot"));
                yield e.mul(y, e.op("Sub", "softmax_centered", g, dot));
            }
            default -> throw s.unsupported("no activation rule");
        };
        s.give(0, gx);
    }
}
