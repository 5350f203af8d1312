package dev.forger.service.attacks;

/**
 * Fully resolved parameters: every value set and validated (pixel units of [0, 1]). Serialised as the
 * response's "parameters"; {@link Attack#parameterNames()} says which ones an attack reads.
 */
public record AttackParameters(double epsilon, Norm norm, int steps, double stepSize, boolean randomStart,
        long seed, Goal goal, boolean quantize, double momentum, double overshoot, double constant,
        int searchSteps, int queries, double learningRate) {}
