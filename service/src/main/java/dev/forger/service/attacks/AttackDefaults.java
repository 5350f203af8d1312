package dev.forger.service.attacks;

import java.util.List;

/**
 * What an attack runs with when a request leaves a parameter open, and which norms it supports (the
 * first is its default). Pixel units of [0, 1]. The default step size is {@code stepFactor * epsilon /
 * steps} for the iterative ε-bounded attacks (the usual "2.5 ε / steps" of Madry et al. is factor 2.5)
 * and {@code stepFactor} itself for attacks without an ε-ball walk ({@code stepIsAbsolute}).
 */
public record AttackDefaults(List<Norm> norms, double linfEpsilon, double l2Epsilon, int steps, double stepFactor,
        boolean stepIsAbsolute, boolean randomStart, double momentum, double overshoot, double constant,
        int searchSteps, int queries, double learningRate) {

    /** 8/255: the L∞ budget of the attack literature. */
    public static final double LINF_EPSILON = 8.0 / 255;
    /**
     * The default L2 budget, pixel units. On the default model (goal flip) PGD-L2 with it flipped 16 of 16 real digits
     * and 27 of 32 generated ones where PGD-L∞ at 8/255 flipped 14 and 19: somewhat stronger, comparable in scale
     * (8/255 over every pixel of a 32x32 image is an L2 of 1.0).
     */
    public static final double L2_EPSILON = 1.0;

    /** Common values; each attack changes the few that matter to it. */
    public static AttackDefaults of(Norm... norms) {
        return new AttackDefaults(List.of(norms), LINF_EPSILON, L2_EPSILON, 1, 1.0, false, false, 1.0, 0.02, 1.0,
                5, 1000, 0.01);
    }

    public AttackDefaults steps(int value) {
        return new AttackDefaults(norms, linfEpsilon, l2Epsilon, value, stepFactor, stepIsAbsolute, randomStart,
                momentum, overshoot, constant, searchSteps, queries, learningRate);
    }

    /** Default step size = factor * epsilon / steps. */
    public AttackDefaults stepFactor(double factor) {
        return new AttackDefaults(norms, linfEpsilon, l2Epsilon, steps, factor, false, randomStart, momentum,
                overshoot, constant, searchSteps, queries, learningRate);
    }

    /** Default step size = value, whatever epsilon and steps are. */
    public AttackDefaults stepSize(double value) {
        return new AttackDefaults(norms, linfEpsilon, l2Epsilon, steps, value, true, randomStart, momentum,
                overshoot, constant, searchSteps, queries, learningRate);
    }

    public AttackDefaults randomStart(boolean value) {
        return new AttackDefaults(norms, linfEpsilon, l2Epsilon, steps, stepFactor, stepIsAbsolute, value, momentum,
                overshoot, constant, searchSteps, queries, learningRate);
    }

    public AttackDefaults constant(double value) {
        return new AttackDefaults(norms, linfEpsilon, l2Epsilon, steps, stepFactor, stepIsAbsolute, randomStart,
                momentum, overshoot, value, searchSteps, queries, learningRate);
    }

    public AttackDefaults queries(int value) {
        return new AttackDefaults(norms, linfEpsilon, l2Epsilon, steps, stepFactor, stepIsAbsolute, randomStart,
                momentum, overshoot, constant, searchSteps, value, learningRate);
    }

    public AttackDefaults learningRate(double value) {
        return new AttackDefaults(norms, linfEpsilon, l2Epsilon, steps, stepFactor, stepIsAbsolute, randomStart,
                momentum, overshoot, constant, searchSteps, queries, value);
    }

    public AttackDefaults searchSteps(int value) {
        return new AttackDefaults(norms, linfEpsilon, l2Epsilon, steps, stepFactor, stepIsAbsolute, randomStart,
                momentum, overshoot, constant, value, queries, learningRate);
    }

    public double epsilon(Norm norm) {
        return norm == Norm.LINF ? linfEpsilon : l2Epsilon;
    }

    public double stepSize(double epsilon, int steps) {
        return stepIsAbsolute ? stepFactor : stepFactor * epsilon / steps;
    }
}
