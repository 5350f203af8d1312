package dev.forger.service.attacks;

/** Fast Gradient Method, the L2 sibling of FGSM: one step of ε·∇/‖∇‖₂ down the BCE towards the goal. */
final class Fgm extends BaseAttack {
    Fgm() {
        super("fgm", true, AttackDefaults.of(Norm.L2), "epsilon", "goal", "quantize");
    }

    @Override
    public float[] perturb(AttackContext c) {
        return SingleStep.run(c);
    }
}
