package dev.forger.service.attacks;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The attacks by name, and the one place where a request becomes validated parameters. */
public final class AttackCatalog {
    /** Largest ε, step or δ in pixel units for L∞: the whole [0, 1] range. */
    static final double MAX_LINF = 1.0;
    /** Largest L2 ε or step in pixel units: beyond the diameter of any image the service takes, meaningless. */
    static final double MAX_L2 = 100.0;
    static final double MAX_CONSTANT = 1e6;

    private static final Map<String, Attack> ATTACKS = index(List.of(new Fgsm(), new Fgm(), new Bim(), new Pgd(),
            new MiFgsm(), new DeepFool(), new CarliniWagner(), AutoAttack.BCE, AutoAttack.MARGIN, new Spsa(),
            AutoAttack.SQUARE, new AutoAttack(), new Bisection()));

    private AttackCatalog() {}

    private static Map<String, Attack> index(List<Attack> attacks) {
        Map<String, Attack> byName = new LinkedHashMap<>();
        attacks.forEach(a -> byName.put(a.name(), a));
        return java.util.Collections.unmodifiableMap(byName);
    }

    public static List<Attack> all() {
        return List.copyOf(ATTACKS.values());
    }

    /** @throws ClientProblem naming {@code method} and the attacks there are */
    public static Attack byName(String method) {
        Attack attack = method == null ? null : ATTACKS.get(method.strip().toLowerCase(Locale.ROOT));
        if (attack == null) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "method", "unknown attack method '" + method
                    + "'; use one of " + String.join(", ", ATTACKS.keySet()));
        }
        return attack;
    }

    /**
     * Fills what the request leaves open with the attack's defaults and checks every parameter the attack
     * reads against its range (parameters it does not read are ignored and reported at their defaults).
     *
     * @throws ClientProblem INVALID_PARAMETER naming the field, its allowed range and how to fix it
     */
    public static ResolvedAttack resolve(AttackRequest request, AttackLimits limits) {
        return resolve(request, limits, null);
    }

    /**
     * As {@link #resolve(AttackRequest, AttackLimits)} for a run in {@code space}: in latent space an L∞ δ may
     * reach across the whole support of a uniform latent (its width), and up to the L2 limit for a normal one.
     *
     * @param space null for pixel space
     */
    public static ResolvedAttack resolve(AttackRequest request, AttackLimits limits, AttackSpace space) {
        Attack attack = byName(request.method());
        AttackDefaults d = attack.defaults();
        Set<String> reads = attack.parameterNames();
        String name = attack.name();

        Norm norm = request.norm() != null ? request.norm() : d.norms().get(0);
        if (!d.norms().contains(norm)) {
            throw problem("norm", name + " supports norm " + d.norms().stream().map(Norm::label)
                    .collect(Collectors.joining(" or ")) + ", not " + norm.label()
                    + (name.equals("fgsm") ? " (fgm is its L2 sibling)" : name.equals("fgm") ? " (fgsm is its L∞ sibling)" : ""));
        }
        double maxDistance = norm == Norm.LINF ? MAX_LINF : MAX_L2;
        String units = " (pixel units of [0, 1]; 8/255 ≈ 0.031 is the usual L∞ budget)";
        if (space != null && space.isLatent()) {
            maxDistance = norm == Norm.LINF && space.bounded() ? Math.max(MAX_LINF, space.high() - space.low()) : MAX_L2;
            units = " (δ in latent units: the latent's support is [" + space.low() + ", " + space.high() + "])";
        }
        double epsilon = pick(reads, "epsilon", request.epsilon(), d.epsilon(norm));
        requireRange("epsilon", epsilon, 0, false, maxDistance, units);
        int steps = pick(reads, "steps", request.steps(), Math.min(d.steps(), limits.maxSteps()));
        requireRange("steps", steps, 1, limits.maxSteps());
        double stepSize = pick(reads, "stepSize", request.stepSize(), d.stepSize(epsilon, steps));
        requireRange("stepSize", stepSize, 0, false, maxDistance, " (pixel units of [0, 1])");
        boolean randomStart = pick(reads, "randomStart", request.randomStart(), d.randomStart());
        long seed = request.seed() != null ? request.seed() : 0L;
        Goal goal = request.goal() != null ? request.goal() : Goal.FLIP;
        boolean quantize = request.quantize() != null ? request.quantize() : true;
        double momentum = pick(reads, "momentum", request.momentum(), d.momentum());
        requireRange("momentum", momentum, 0, true, 1, "");
        double overshoot = pick(reads, "overshoot", request.overshoot(), d.overshoot());
        requireRange("overshoot", overshoot, 0, true, 1, "");
        double constant = pick(reads, "constant", request.constant(), d.constant());
        requireRange("constant", constant, 0, false, MAX_CONSTANT, "");
        int searchSteps = pick(reads, "searchSteps", request.searchSteps(), Math.min(d.searchSteps(), limits.maxSearchSteps()));
        requireRange("searchSteps", searchSteps, 1, limits.maxSearchSteps());
        int queries = pick(reads, "queries", request.queries(), Math.min(d.queries(), limits.maxQueries()));
        requireRange("queries", queries, 1, limits.maxQueries());
        double learningRate = pick(reads, "learningRate", request.learningRate(), d.learningRate());
        requireRange("learningRate", learningRate, 0, false, 1, "");
        boolean skipAtGoal = request.skipAtGoal() != null ? request.skipAtGoal() : true;
        return new ResolvedAttack(attack, new AttackParameters(epsilon, norm, steps, stepSize, randomStart, seed, goal,
                quantize, momentum, overshoot, constant, searchSteps, queries, learningRate, skipAtGoal));
    }

    private static <T> T pick(Set<String> reads, String field, T requested, T fallback) {
        return requested != null && reads.contains(field) ? requested : fallback;
    }

    private static void requireRange(String field, double value, double low, boolean lowIncluded, double high,
                                     String hint) {
        boolean ok = (lowIncluded ? value >= low : value > low) && value <= high;
        if (!ok) {
            throw problem(field, field + " must be in " + (lowIncluded ? "[" : "(") + format(low) + ", "
                    + format(high) + "], was " + value + hint);
        }
    }

    private static void requireRange(String field, int value, int low, int high) {
        if (value < low || value > high) {
            throw problem(field, field + " must be in [" + low + ", " + high + "], was " + value
                    + (value > high ? " (the service's limit; forger.attacks.* raise it)" : ""));
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e7 ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static ClientProblem problem(String field, String detail) {
        return new ClientProblem(ProblemType.INVALID_PARAMETER, field, detail);
    }
}
