package dev.forger.service.attacks;

/**
 * What a client asked for; every field may be null, meaning "the attack's default". Units: epsilon and
 * stepSize in pixel units of [0, 1] (8/255 ≈ 0.031 for L∞). {@code skipAtGoal} false attacks every image,
 * also those the discriminator already judges as the goal wants (the textbook definition; default true).
 */
public record AttackRequest(String method, Double epsilon, Norm norm, Integer steps, Double stepSize,
        Boolean randomStart, Long seed, Goal goal, Boolean quantize, Double momentum, Double overshoot,
        Double constant, Integer searchSteps, Integer queries, Double learningRate, Boolean skipAtGoal) {

    /** Without {@code skipAtGoal}: the default, images already at their goal are left alone. */
    public AttackRequest(String method, Double epsilon, Norm norm, Integer steps, Double stepSize,
                         Boolean randomStart, Long seed, Goal goal, Boolean quantize, Double momentum,
                         Double overshoot, Double constant, Integer searchSteps, Integer queries,
                         Double learningRate) {
        this(method, epsilon, norm, steps, stepSize, randomStart, seed, goal, quantize, momentum, overshoot,
                constant, searchSteps, queries, learningRate, null);
    }

    /** Only the method named: every parameter at its default. */
    public static AttackRequest of(String method) {
        return new AttackRequest(method, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }
}
