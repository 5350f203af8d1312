package dev.forger.service.attacks;

/**
 * DeepFool for a binary classifier (Moosavi-Dezfooli et al. 2016): linearise the logit z at x and jump
 * to the decision boundary z = 0 — for L2 by r = −(|z| + 10⁻⁴)·sign(z)·∇z/‖∇z‖₂², for L∞ by
 * r = −(|z| + 10⁻⁴)·sign(z)·sign(∇z)/‖∇z‖₁ — accumulating r until the verdict reaches the goal; the
 * image returned is x₀ + (1 + overshoot)·Σr. A minimal-perturbation attack: epsilon does not bound it.
 * Each image stops as soon as it flips; later calls carry only the images still working. When the result
 * will be rounded to 8 bits, the logit and gradient are taken at the rounded image (a straight-through
 * estimate), so an image stops only once its rounded version flips.
 */
final class DeepFool extends BaseAttack {
    private static final double BOUNDARY_PUSH = 1e-4;

    DeepFool() {
        super("deepfool", true, AttackDefaults.of(Norm.L2, Norm.LINF).steps(50),
                "norm", "steps", "overshoot", "goal", "quantize");
    }

    @Override
    public float[] perturb(AttackContext c) {
        int size = c.imageSize();
        float[] x0 = c.originals();
        float[] x = x0.clone();
        float[] total = new float[x.length];
        float grow = (float) (1 + c.parameters().overshoot());
        boolean l2 = c.parameters().norm() == Norm.L2;
        boolean[] working = new boolean[c.count()];
        java.util.Arrays.fill(working, true);
        for (int s = 0; s < c.parameters().steps(); s++) {
            c.checkCancelled();
            int[] active = Batch.where(working);
            if (active.length == 0) {
                break;
            }
            LogitsAndGradients lg = c.gradients(c.asReturned(Batch.gather(x, active, size)), active);
            for (int k = 0; k < active.length; k++) {
                int i = active[k];
                float z = lg.logits()[k];
                double toLogit = Logits.logitGradientScale(z, c.labels()[i]);
                int g0 = k * size;
                double norm = l2 ? EpsilonBall.l2(lg.gradients(), g0, size) * Math.abs(toLogit)
                        : EpsilonBall.l1(lg.gradients(), g0, size) * Math.abs(toLogit);
                if (c.reached(i, z) || !(norm > 0) || !Double.isFinite(norm)) {
                    working[i] = false; // flipped, or flat: no direction to follow
                    continue;
                }
                double distance = (Math.abs(z) + BOUNDARY_PUSH) / norm; // the boundary's distance, linearised
                double sign = -Math.signum(z);
                for (int j = 0; j < size; j++) {
                    double dz = lg.gradients()[g0 + j] * toLogit;
                    double r = l2 ? sign * distance * dz / norm : sign * distance * Math.signum(dz);
                    total[i * size + j] += (float) r;
                    float v = x0[i * size + j] + grow * total[i * size + j];
                    x[i * size + j] = Math.min(Math.max(v, -1f), 1f);
                }
            }
        }
        return x;
    }
}
