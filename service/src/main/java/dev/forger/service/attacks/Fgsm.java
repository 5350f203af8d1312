package dev.forger.service.attacks;

/** Fast Gradient Sign Method (Goodfellow et al. 2015): one step of ε·sign(∇) down the BCE towards the goal. */
final class Fgsm extends BaseAttack {
    Fgsm() {
        super("fgsm", true, AttackDefaults.of(Norm.LINF), "epsilon", "goal", "quantize");
    }

    @Override
    public float[] perturb(AttackContext c) {
        return SingleStep.run(c);
    }
}
