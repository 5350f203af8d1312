package dev.forger.service.robustness;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.forger.service.attacks.ImageOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Signs that a report's success rates measure the attacks' failure rather than the model's robustness
 * (gradient masking, Athalye, Carlini &amp; Wagner 2018; the checklist of Carlini et al. 2019), checked on every
 * finished run of an evaluation. Each check gives its worst value against its limit; a value past the limit is
 * also a {@code warning}. Small evaluations get a tolerance of more than one image, so that one image's luck
 * does not warn:
 * <ul>
 * <li>{@code success-at-zero-perturbation}: share of images counted as broken though the returned image equals
 *     the original (and it did not meet the goal already): the verdict changed without the input changing.</li>
 * <li>{@code success-not-increasing}: largest fall of an attack's success rate from one ε to a larger one.</li>
 * <li>{@code black-box-beats-white-box}: largest lead of a black-box attack (square, spsa) over the best
 *     white-box attack at the same norm and ε: gradients that mislead.</li>
 * <li>{@code large-epsilon-not-total}: lowest success of an iterative white-box attack (bim, pgd, mifgsm, apgd,
 *     apgd-margin) at a very large ε (L∞ ≥ 0.5, L2 ≥ 10 in pixel units), where every verdict can be changed; not
 *     run when the sweep has no such ε. (One step is no search: FGSM left 3 of 16 digits of an earlier default bundle unbroken
 *     at ε = 0.6.)</li>
 * <li>{@code zero-gradients}: share of the gradient calls of white-box runs whose input gradient was all zero or
 *     not finite while the image was not yet at its goal.</li>
 * <li>{@code still-rising}: largest share of images an iterative attack (10 steps or more) first broke in the
 *     last tenth of its steps: more steps would break more, so its number is not converged.</li>
 * </ul>
 */
public final class MaskingDiagnostics {
    static final double LARGE_LINF = 0.5;
    static final double LARGE_L2 = 10;
    static final double ZERO_GRADIENT_LIMIT = 0.01;
    private static final Set<String> BLACK_BOX = Set.of("square", "spsa");
    private static final Set<String> ITERATIVE = Set.of("bim", "pgd", "mifgsm", "apgd", "apgd-margin");

    /** One check: its worst value, the limit past which it warns, and where the worst value was seen. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Check(String check, String status, Double value, double limit, String method, String norm,
                        Double epsilon, String detail) {

        boolean warns() {
            return "warning".equals(status);
        }
    }

    /** A finished bounded or minimal run and its per-image outcomes, ordered by image. */
    record RunResults(EvaluationSpec.Run run, List<ImageOutcome> outcomes) {}

    private MaskingDiagnostics() {}

    static List<Check> check(List<RunResults> runs, int images) {
        double tolerance = Math.max(0.05, 1.5 / Math.max(images, 1));
        List<RunResults> bounded = runs.stream().filter(r -> !r.run().minimal()).toList();
        return List.of(successAtZero(runs), notIncreasing(bounded, tolerance), blackBoxBeatsWhiteBox(bounded, tolerance),
                largeEpsilon(bounded), zeroGradients(runs), stillRising(bounded, tolerance));
    }

    private static Check successAtZero(List<RunResults> runs) {
        Worst worst = new Worst();
        for (RunResults r : runs) {
            double share = share(r.outcomes(), o -> o.success() && !o.alreadyAtGoal() && o.linf() == 0 && o.l2() == 0);
            worst.offer(share, r.run());
        }
        return worst.check("success-at-zero-perturbation", 0, "images counted as broken whose returned image is the"
                + " original: the model's verdict changes without its input changing (randomness in the model?)");
    }

    private static Check notIncreasing(List<RunResults> bounded, double tolerance) {
        Worst worst = new Worst();
        Map<String, List<RunResults>> byAttack = new LinkedHashMap<>();
        for (RunResults r : bounded) {
            byAttack.computeIfAbsent(r.run().attack() + "/" + r.run().norm(), k -> new ArrayList<>()).add(r);
        }
        for (List<RunResults> sweep : byAttack.values()) {
            List<RunResults> sorted = new ArrayList<>(sweep);
            sorted.sort(Comparator.comparingDouble(r -> r.run().epsilon()));
            double best = Double.NEGATIVE_INFINITY;
            for (RunResults r : sorted) {
                double success = Statistics.successRate(r.outcomes());
                worst.offer(best - success, r.run());
                best = Math.max(best, success);
            }
        }
        return worst.check("success-not-increasing", tolerance, "an attack broke fewer images at a larger ε than at a"
                + " smaller one: its steps do not follow the loss (masked or noisy gradients)");
    }

    private static Check blackBoxBeatsWhiteBox(List<RunResults> bounded, double tolerance) {
        Worst worst = new Worst();
        Map<String, Double> bestWhite = new LinkedHashMap<>();
        for (RunResults r : bounded) {
            if (whiteBox(r)) {
                bestWhite.merge(at(r.run()), Statistics.successRate(r.outcomes()), Math::max);
            }
        }
        for (RunResults r : bounded) {
            Double white = bestWhite.get(at(r.run()));
            if (BLACK_BOX.contains(r.run().method()) && white != null) {
                worst.offer(Statistics.successRate(r.outcomes()) - white, r.run());
            }
        }
        return worst.check("black-box-beats-white-box", tolerance, "a black-box attack broke more images than every"
                + " white-box attack at the same norm and ε: the gradients mislead");
    }

    private static Check largeEpsilon(List<RunResults> bounded) {
        Worst worst = new Worst();
        for (RunResults r : bounded) {
            boolean large = r.run().norm().equals("l2") ? r.run().epsilon() >= LARGE_L2 : r.run().epsilon() >= LARGE_LINF;
            if (large && ITERATIVE.contains(r.run().method())) { // one step (fgsm, fgm) is no search
                worst.offer(1 - Statistics.successRate(r.outcomes()), r.run());
            }
        }
        if (worst.run == null) {
            return new Check("large-epsilon-not-total", "not-run", null, 0, null, null, null, "the sweep has no ε"
                    + " ≥ " + LARGE_LINF + " (L∞) or ≥ " + LARGE_L2 + " (L2) with an iterative white-box attack; add one"
                    + " to check");
        }
        return worst.check("large-epsilon-not-total", 0, "share of images an iterative white-box attack left unbroken"
                + " at a very large ε, where any verdict can be changed");
    }

    private static Check zeroGradients(List<RunResults> runs) {
        long zero = 0;
        long calls = 0;
        EvaluationSpec.Run worstRun = null;
        double worstShare = -1;
        for (RunResults r : runs) {
            long runZero = r.outcomes().stream().mapToLong(ImageOutcome::zeroGradientCalls).sum();
            long runCalls = r.outcomes().stream().mapToLong(ImageOutcome::gradientCalls).sum();
            zero += runZero;
            calls += runCalls;
            if (runCalls > 0 && (double) runZero / runCalls > worstShare) {
                worstShare = (double) runZero / runCalls;
                worstRun = r.run();
            }
        }
        if (calls == 0) {
            return new Check("zero-gradients", "not-run", null, ZERO_GRADIENT_LIMIT, null, null, null,
                    "no attack of the evaluation asked for gradients");
        }
        double share = (double) zero / calls;
        return new Check("zero-gradients", share > ZERO_GRADIENT_LIMIT ? "warning" : "ok", share, ZERO_GRADIENT_LIMIT,
                worstRun.method(), worstRun.norm(), worstRun.epsilon(), "share of all gradient calls whose input"
                + " gradient was all zero or not finite before the image reached its goal (" + zero + " of " + calls
                + "); the run named had the largest share");
    }

    private static Check stillRising(List<RunResults> bounded, double tolerance) {
        Worst worst = new Worst();
        for (RunResults r : bounded) {
            Object steps = r.run().parameters() == null ? null : r.run().parameters().get("steps");
            if (!ITERATIVE.contains(r.run().method()) || !(steps instanceof Number n) || n.intValue() < 10) {
                continue;
            }
            worst.offer(share(r.outcomes(), MaskingDiagnostics::brokenLate), r.run());
        }
        if (worst.run == null) {
            return new Check("still-rising", "not-run", null, tolerance, null, null, null,
                    "no iterative attack with 10 steps or more in the evaluation");
        }
        return worst.check("still-rising", tolerance, "share of images an iterative attack first broke in the last"
                + " tenth of its steps: more steps would break more");
    }

    /** Broken in the last tenth of the image's gradient calls, or by the final step (after the last call). */
    private static boolean brokenLate(ImageOutcome o) {
        if (!o.success() || o.alreadyAtGoal() || o.gradientCalls() == 0) {
            return false;
        }
        if (o.firstGoalCall() == 0) {
            return true; // no iterate it took a gradient at was on the goal's side: the last step got there
        }
        int lastTenth = Math.max(1, o.gradientCalls() / 10);
        return o.firstGoalCall() > o.gradientCalls() - lastTenth;
    }

    private static boolean whiteBox(RunResults r) {
        return !BLACK_BOX.contains(r.run().method()) && !r.run().method().equals("auto")
                && r.outcomes().stream().anyMatch(o -> o.gradientCalls() > 0);
    }

    private static String at(EvaluationSpec.Run run) {
        return run.norm() + "@" + run.epsilon();
    }

    private static double share(List<ImageOutcome> outcomes, java.util.function.Predicate<ImageOutcome> which) {
        return outcomes.isEmpty() ? 0 : (double) outcomes.stream().filter(which).count() / outcomes.size();
    }

    /** The largest value offered and the run it came from. */
    private static final class Worst {
        double value = Double.NEGATIVE_INFINITY;
        EvaluationSpec.Run run;

        void offer(double v, EvaluationSpec.Run from) {
            if (v > value) {
                value = v;
                run = from;
            }
        }

        Check check(String name, double limit, String detail) {
            if (run == null) {
                return new Check(name, "not-run", null, limit, null, null, null, "no finished run to check");
            }
            double v = Math.max(value, 0);
            return new Check(name, v > limit ? "warning" : "ok", v, limit, run.method(), run.norm(), run.epsilon(), detail);
        }
    }
}
