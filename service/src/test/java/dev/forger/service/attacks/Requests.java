package dev.forger.service.attacks;

/** Short ways to build requests in tests. */
final class Requests {
    static final AttackLimits LIMITS = new AttackLimits(1000, 10000, 20);

    private Requests() {}

    static ResolvedAttack resolve(String method, Norm norm, Goal goal, boolean quantize) {
        return AttackCatalog.resolve(new AttackRequest(method, null, norm, null, null, null, null, goal, quantize,
                null, null, null, null, null, null), LIMITS);
    }

    static ResolvedAttack resolve(String method, Norm norm, Goal goal, boolean quantize, long seed) {
        return AttackCatalog.resolve(new AttackRequest(method, null, norm, null, null, null, seed, goal, quantize,
                null, null, null, null, null, null), LIMITS);
    }
}
