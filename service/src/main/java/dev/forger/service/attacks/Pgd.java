package dev.forger.service.attacks;

/**
 * Projected Gradient Descent (Madry et al. 2018): BIM from a random point of the ε-ball, with Madry's
 * default step 2.5 ε / steps.
 */
final class Pgd extends BaseAttack {
    Pgd() {
        super("pgd", true, AttackDefaults.of(Norm.LINF, Norm.L2).steps(20).stepFactor(2.5).randomStart(true),
                "epsilon", "norm", "steps", "stepSize", "randomStart", "seed", "goal", "quantize");
    }

    @Override
    public float[] perturb(AttackContext c) {
        float[] start = c.parameters().randomStart()
                ? c.ball().randomStart(c.originals(), c::random)
                : c.originals().clone();
        return ProjectedDescent.run(c, start);
    }
}
