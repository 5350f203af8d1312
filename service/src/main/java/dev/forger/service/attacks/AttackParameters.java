package dev.forger.service.attacks;

/**
 * Fully resolved parameters: every value set and validated (pixel units of [0, 1]). Serialised as the
 * response's "parameters"; {@link Attack#parameterNames()} says which ones an attack reads. {@code skipAtGoal}
 * is the runner's: whether images the discriminator already judges as the goal wants are returned untouched.
 */
public record AttackParameters(double epsilon, Norm norm, int steps, double stepSize, boolean randomStart,
        long seed, Goal goal, boolean quantize, double momentum, double overshoot, double constant,
        int searchSteps, int queries, double learningRate, boolean skipAtGoal) {

    /** As the canonical constructor, skipping images already at their goal (the service's default). */
    public AttackParameters(double epsilon, Norm norm, int steps, double stepSize, boolean randomStart, long seed,
                            Goal goal, boolean quantize, double momentum, double overshoot, double constant,
                            int searchSteps, int queries, double learningRate) {
        this(epsilon, norm, steps, stepSize, randomStart, seed, goal, quantize, momentum, overshoot, constant,
                searchSteps, queries, learningRate, true);
    }
}
