package dev.forger.service.attacks;

/**
 * What a client asked for; every field may be null, meaning "the attack's default". Units: epsilon and
 * stepSize in pixel units of [0, 1] (8/255 ≈ 0.031 for L∞).
 */
public record AttackRequest(String method, Double epsilon, Norm norm, Integer steps, Double stepSize,
        Boolean randomStart, Long seed, Goal goal, Boolean quantize, Double momentum, Double overshoot,
        Double constant, Integer searchSteps, Integer queries, Double learningRate) {

    /** Only the method named: every parameter at its default. */
    public static AttackRequest of(String method) {
        return new AttackRequest(method, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }
}
