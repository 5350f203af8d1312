package dev.forger.service.attacks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a client may set for an attack under one norm: the type, default and allowed range of every
 * parameter the attack reads. These are the values {@link AttackCatalog#resolve} fills in and enforces
 * (AttackSpecsTest holds the two together), so that forms such as the web lab's are built from the service
 * rather than from copies of its numbers.
 */
public final class AttackSpecs {
    /** The order parameters are listed in: the budget, the walk, each method's own knobs, then the common ones. */
    static final List<String> ORDER = List.of("epsilon", "steps", "stepSize", "randomStart", "momentum", "overshoot",
            "constant", "searchSteps", "learningRate", "queries", "seed", "goal", "skipAtGoal", "quantize");

    private AttackSpecs() {}

    /**
     * One parameter. {@code minimum}/{@code maximum} bound numbers ({@code exclusiveMinimum}: the minimum itself
     * is refused); {@code choices} lists a string parameter's values; {@code stepFactor}, when set, makes the
     * default step size {@code stepFactor × epsilon / steps} for whatever epsilon and steps the client sends,
     * and {@code defaultValue} is that step at the default epsilon and steps.
     */
    public record Parameter(String name, String type, Object defaultValue, Double minimum, boolean exclusiveMinimum,
                            Double maximum, List<String> choices, Double stepFactor) {

        static Parameter number(String name, double defaultValue, double min, boolean exclusiveMin, double max) {
            return new Parameter(name, "number", defaultValue, min, exclusiveMin, max, null, null);
        }

        static Parameter integer(String name, long defaultValue, Long min, Long max) {
            return new Parameter(name, "integer", defaultValue, min == null ? null : min.doubleValue(), false,
                    max == null ? null : max.doubleValue(), null, null);
        }

        static Parameter flag(String name, boolean defaultValue) {
            return new Parameter(name, "boolean", defaultValue, null, false, null, null, null);
        }
    }

    /** The norms {@code attack} supports, its default first, as clients spell them. */
    public static List<String> norms(Attack attack) {
        return attack.defaults().norms().stream().map(Norm::label).toList();
    }

    /** Whether epsilon bounds the attack; deepfool and cw find the smallest perturbation themselves. */
    public static boolean epsilonBounded(Attack attack) {
        return attack.parameterNames().contains("epsilon");
    }

    /**
     * The parameters {@code attack} reads under {@code norm} (other than norm itself; {@code skipAtGoal}, which
     * the runner reads for every attack, included), in {@link #ORDER}.
     */
    public static List<Parameter> parameters(Attack attack, Norm norm, AttackLimits limits) {
        AttackDefaults d = attack.defaults();
        double maxDistance = norm == Norm.LINF ? AttackCatalog.MAX_LINF : AttackCatalog.MAX_L2;
        int steps = Math.min(d.steps(), limits.maxSteps());
        List<Parameter> specs = new ArrayList<>();
        for (String name : ORDER) {
            if (!attack.parameterNames().contains(name)) {
                continue;
            }
            specs.add(switch (name) {
                case "epsilon" -> Parameter.number(name, d.epsilon(norm), 0, true, maxDistance);
                case "steps" -> Parameter.integer(name, steps, 1L, (long) limits.maxSteps());
                case "stepSize" -> new Parameter(name, "number", d.stepSize(d.epsilon(norm), steps), 0.0, true,
                        maxDistance, null, d.stepIsAbsolute() ? null : d.stepFactor());
                case "randomStart" -> Parameter.flag(name, d.randomStart());
                case "momentum" -> Parameter.number(name, d.momentum(), 0, false, 1);
                case "overshoot" -> Parameter.number(name, d.overshoot(), 0, false, 1);
                case "constant" -> Parameter.number(name, d.constant(), 0, true, AttackCatalog.MAX_CONSTANT);
                case "searchSteps" -> Parameter.integer(name, Math.min(d.searchSteps(), limits.maxSearchSteps()), 1L,
                        (long) limits.maxSearchSteps());
                case "learningRate" -> Parameter.number(name, d.learningRate(), 0, true, 1);
                case "queries" -> Parameter.integer(name, Math.min(d.queries(), limits.maxQueries()), 1L,
                        (long) limits.maxQueries());
                case "seed" -> Parameter.integer(name, 0, null, null);
                case "goal" -> new Parameter(name, "string", Goal.FLIP.name().toLowerCase(Locale.ROOT), null, false,
                        null, goals(), null);
                case "skipAtGoal" -> Parameter.flag(name, true);
                case "quantize" -> Parameter.flag(name, true);
                default -> throw new IllegalStateException("no spec for parameter " + name);
            });
        }
        return specs;
    }

    /** The goals, the default (flip) first. */
    public static List<String> goals() {
        List<Goal> goals = new ArrayList<>(Arrays.asList(Goal.values()));
        goals.remove(Goal.FLIP);
        goals.add(0, Goal.FLIP);
        return goals.stream().map(g -> g.name().toLowerCase(Locale.ROOT)).toList();
    }
}
