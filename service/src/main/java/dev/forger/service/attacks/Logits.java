package dev.forger.service.attacks;

/** Numerically stable functions of a logit. */
final class Logits {
    private Logits() {}

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** BCE of sigmoid(z) against the target: softplus(z) - t z, without overflow. */
    static double bce(double z, double target) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - target * z;
    }

    /**
     * How far the logit is from the target's side: z for target fake (0), -z for real (1). Negative once the
     * goal is reached; the black-box attacks minimise it.
     */
    static float margin(float z, float target) {
        return target > 0.5f ? -z : z;
    }

    /**
     * The factor that turns the gradient graph's dBCE/dx into dlogit/dx: dBCE/dz = sigmoid(z) - t, so
     * dz/dx = dBCE/dx / (sigmoid(z) - t). Returns 0 when |sigmoid(z) - t| is too small to divide by: that
     * only happens once z is far on the target's side, where no attack needs the logit gradient.
     */
    static double logitGradientScale(float z, float target) {
        double residual = sigmoid(z) - target;
        return Math.abs(residual) < 1e-6 ? 0 : 1 / residual;
    }
}
