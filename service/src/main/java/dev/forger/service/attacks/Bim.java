package dev.forger.service.attacks;

/**
 * Basic Iterative Method (Kurakin et al. 2017): projected steepest descent from the original itself. Its
 * default step, 1.25 ε / steps, is Kurakin's (1/255 per step for 10 steps at ε = 8/255).
 */
final class Bim extends BaseAttack {
    Bim() {
        super("bim", true, AttackDefaults.of(Norm.LINF, Norm.L2).steps(10).stepFactor(1.25),
                "epsilon", "norm", "steps", "stepSize", "goal", "quantize");
    }

    @Override
    public float[] perturb(AttackContext c) {
        return ProjectedDescent.run(c, c.originals().clone());
    }
}
