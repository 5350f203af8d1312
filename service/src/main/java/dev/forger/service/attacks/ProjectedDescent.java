package dev.forger.service.attacks;

/** The loop BIM and PGD share: {@code steps} times, a steepest-descent step of the BCE, then back into the ε-ball and box. */
final class ProjectedDescent {
    private ProjectedDescent() {}

    /** Iterates from {@code x} (modified and returned). */
    static float[] run(AttackContext c, float[] x) {
        float step = c.stepSize();
        for (int s = 0; s < c.parameters().steps(); s++) {
            c.checkCancelled();
            float[] g = c.gradients(x).gradients();
            c.ball().descend(x, g, step);
            c.ball().project(x, c.originals());
        }
        return x;
    }
}
