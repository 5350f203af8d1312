package dev.forger.service.robustness;

import dev.forger.service.attacks.AttackOutcome;

/**
 * One attack under a {@link Threat}: the runner's outcome (points, success, norms in the attack's space,
 * calls), the networks' verdicts on the original and the returned images, the images themselves (the
 * generator's, for latent points) and their pixel-space distances in pixel units of [0, 1].
 */
public record ThreatOutcome(Threat threat, AttackOutcome outcome, Verdicts before, Verdicts after,
                            float[] originalImages, float[] adversarialImages, double[] pixelLinf, double[] pixelL2) {

    public int count() {
        return outcome.results().size();
    }
}
