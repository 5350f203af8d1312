package dev.forger.service.attacks;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A goal on the bundle's classifier rather than its discriminator: {@code class:k} (the classifier says k)
 * or {@code class-change} (it says anything but what it said of the original), with a realism weight λ ≥ 0
 * that adds λ · BCE(D, real) to the objective, keeping the discriminator's verdict on the real side while
 * the class moves. Success is the classifier's verdict alone; the discriminator's is reported beside it.
 *
 * @param targetClass k for {@code class:k}, null for {@code class-change}
 */
public record ClassGoal(Integer targetClass, double realism) {
    /** The largest realism weight: far beyond any useful trade-off, and it keeps the objective finite. */
    public static final double MAX_REALISM = 1000;
    private static final Pattern CLASS = Pattern.compile("class:(-?\\d+)");

    /** Whether {@code goal} names a class goal (so that it is not one of the discriminator's). */
    public static boolean isClassGoal(String goal) {
        String g = goal == null ? "" : goal.strip().toLowerCase(Locale.ROOT);
        return g.startsWith("class");
    }

    /**
     * Parses {@code class:k} or {@code class-change}.
     *
     * @param classes the classifier's class count, to check k
     * @throws ClientProblem naming the goal field and the accepted forms
     */
    public static ClassGoal parse(String goal, Double realism, int classes) {
        double lambda = realism == null ? 0 : realism;
        if (!(lambda >= 0 && lambda <= MAX_REALISM)) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "realism", "realism must be in [0, " + (int) MAX_REALISM
                    + "], was " + realism + " (0 leaves the discriminator out; 1 weighs it like the class term)");
        }
        String g = goal.strip().toLowerCase(Locale.ROOT);
        if (g.equals("class-change")) {
            return new ClassGoal(null, lambda);
        }
        Matcher m = CLASS.matcher(g);
        if (m.matches()) {
            long k = Long.parseLong(m.group(1));
            if (k < 0 || k >= classes) {
                throw new ClientProblem(ProblemType.INVALID_PARAMETER, "goal", "goal " + goal + " names class " + k
                        + ", but the classifier has classes 0 to " + (classes - 1));
            }
            return new ClassGoal((int) k, lambda);
        }
        throw new ClientProblem(ProblemType.INVALID_PARAMETER, "goal", "goal must be fake, real, flip, class:k"
                + " (k a class index, e.g. class:3) or class-change, was '" + goal + "'");
    }

    public boolean isChange() {
        return targetClass == null;
    }

    /** The loss each goal descends: cross-entropy towards k; the logit margin away from the original class. */
    public ClassifierNetworks.ClassLoss loss() {
        return isChange() ? ClassifierNetworks.ClassLoss.LOGIT_MARGIN : ClassifierNetworks.ClassLoss.CROSS_ENTROPY;
    }

    /** The goal as clients write it. */
    public String label() {
        return isChange() ? "class-change" : "class:" + targetClass;
    }

    /**
     * The attack model for this goal on images whose original predicted classes are {@code originalClasses}:
     * its score is positive exactly when the goal is met, so the runner runs it with {@link Goal#REAL}
     * ("the positive side").
     */
    public AttackModel model(ClassifierNetworks networks, int[] originalClasses) {
        return new ClassGoalModel(networks, this, originalClasses);
    }
}
