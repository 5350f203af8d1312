package dev.forger.service.attacks;

/** The one-step attacks: a full-ε steepest-descent step from the originals, then the box. */
final class SingleStep {
    private SingleStep() {}

    static float[] run(AttackContext c) {
        float[] x = c.originals().clone();
        float[] g = c.gradients(x).gradients();
        c.ball().descend(x, g, c.epsilon());
        c.ball().project(x, c.originals());
        return x;
    }
}
