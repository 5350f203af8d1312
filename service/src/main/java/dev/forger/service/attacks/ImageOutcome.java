package dev.forger.service.attacks;

/**
 * One image's result. Norms are of the returned image minus the original, in pixel units of [0, 1]; calls
 * count model evaluations of this image, including the first score and the final score of the returned image.
 */
public record ImageOutcome(int index, boolean success, float originalLogit, float adversarialLogit,
        double linf, double l2, int gradientCalls, int forwardCalls) {

    public double originalProbability() {
        return Logits.sigmoid(originalLogit);
    }

    public double adversarialProbability() {
        return Logits.sigmoid(adversarialLogit);
    }
}
