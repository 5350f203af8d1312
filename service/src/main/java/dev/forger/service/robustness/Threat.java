package dev.forger.service.robustness;

import dev.forger.service.attacks.AttackSpace;
import dev.forger.service.attacks.ClassGoal;

/**
 * What an attack may change and what it aims at: the image's pixels or the latent z it was generated from
 * (on-manifold: every candidate is an image the generator draws), and the discriminator's goal (in the
 * attack's parameters) or a {@link ClassGoal} on the bundle's classifier.
 *
 * @param classGoal null for the discriminator's goals (fake, real, flip)
 */
public record Threat(boolean latent, ClassGoal classGoal) {
    public static final Threat PIXEL = new Threat(false, null);

    public String space() {
        return latent ? AttackSpace.LATENT : AttackSpace.PIXEL;
    }

    public boolean hasClassGoal() {
        return classGoal != null;
    }
}
