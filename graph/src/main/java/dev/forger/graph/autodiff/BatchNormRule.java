package dev.forger.graph.autodiff;

/**
 * BatchNormalization in inference mode is a per-channel affine map
 * y = scale (x - mean) / sqrt(var + eps) + bias, so dx = g * scale / sqrt(var + eps) per channel
 * (channel axis 1). Training mode (batch statistics) would couple the samples and is refused.
 */
final class BatchNormRule implements Rule {
    @Override
    public void backward(Step s) {
        if (s.attr().getInt("training_mode", 0) != 0 || s.node().getOutputCount() > 1) {
            throw s.unsupported("training-mode BatchNormalization is not supported (export in inference mode)");
        }
        Emitter e = s.e();
        float epsilon = s.attr().getFloat("epsilon", 1e-5f);
        String std = e.op("Sqrt", "bn_std", e.op("Add", "bn_var_eps", s.in(4), e.floatScalar(epsilon)));
        String factor = e.op("Div", "bn_factor", s.in(1), std);
        s.give(0, e.mul(s.grad(), e.perChannel(factor, s.in(0))));
    }
}
