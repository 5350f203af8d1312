package dev.forger.service.attacks;

/**
 * Momentum Iterative FGSM (Dong et al. 2018): steps along the sign (or L2 direction) of a velocity that
 * accumulates L1-normalised gradients with decay μ ({@code momentum}); default step ε / steps, μ = 1.
 */
final class MiFgsm extends BaseAttack {
    MiFgsm() {
        super("mifgsm", true, AttackDefaults.of(Norm.LINF, Norm.L2).steps(10).stepFactor(1.0),
                "epsilon", "norm", "steps", "stepSize", "momentum", "goal", "quantize");
    }

    @Override
    public float[] perturb(AttackContext c) {
        int size = c.imageSize();
        float decay = (float) c.parameters().momentum();
        float step = c.stepSize();
        float[] x = c.originals().clone();
        float[] velocity = new float[x.length];
        for (int s = 0; s < c.parameters().steps(); s++) {
            c.checkCancelled();
            float[] g = c.gradients(x).gradients();
            for (int from = 0; from < x.length; from += size) {
                double l1 = EpsilonBall.l1(g, from, size);
                float scale = l1 > 0 ? (float) (1 / l1) : 0f;
                for (int j = from, end = from + size; j < end; j++) {
                    velocity[j] = decay * velocity[j] + scale * g[j];
                }
            }
            c.ball().descend(x, velocity, step);
            c.ball().project(x, c.originals());
        }
        return x;
    }
}
