package dev.forger.service.attacks;

/**
 * One image's result. Norms are of the returned image minus the original it is compared to (the 8-bit version
 * of the upload when the result is 8-bit), in pixel units of [0, 1]; calls count model evaluations of this
 * image, including the first score and the final score of the returned image. {@code alreadyAtGoal}: the
 * original already met the goal, so with skipAtGoal (the default) it was returned as it is and counts as a
 * success without any perturbation. {@code firstGoalCall}: the gradient call at which an iterate of the image
 * was first on the goal's side (0: none was; see {@link CountingAttackModel#firstGoalCall}); {@code zeroGradientCalls}:
 * the gradient calls that returned an all-zero or non-finite input gradient while the image was not yet on the
 * goal's side (what the report's masking diagnostics add up). {@code brokenBy}:
 * for an ensemble, the member whose result is returned because it reached the goal (null otherwise).
 */
public record ImageOutcome(int index, boolean success, float originalLogit, float adversarialLogit,
        double linf, double l2, int gradientCalls, int forwardCalls, boolean alreadyAtGoal, int firstGoalCall,
        int zeroGradientCalls, String brokenBy) {

    /** An outcome of a single attack whose iterates were never tracked. */
    public ImageOutcome(int index, boolean success, float originalLogit, float adversarialLogit, double linf,
                        double l2, int gradientCalls, int forwardCalls, boolean alreadyAtGoal) {
        this(index, success, originalLogit, adversarialLogit, linf, l2, gradientCalls, forwardCalls, alreadyAtGoal,
                0, 0, null);
    }

    /** The same outcome under another index, e.g. its position in a larger batch. */
    public ImageOutcome withIndex(int newIndex) {
        return new ImageOutcome(newIndex, success, originalLogit, adversarialLogit, linf, l2, gradientCalls,
                forwardCalls, alreadyAtGoal, firstGoalCall, zeroGradientCalls, brokenBy);
    }

    public double originalProbability() {
        return Logits.sigmoid(originalLogit);
    }

    public double adversarialProbability() {
        return Logits.sigmoid(adversarialLogit);
    }
}
