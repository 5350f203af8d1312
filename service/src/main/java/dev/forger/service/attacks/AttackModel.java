package dev.forger.service.attacks;

import dev.forger.service.imaging.ImageShape;

/** The discriminator as attacks see it. Implementations are thread-safe. */
public interface AttackModel {
    ImageShape imageShape();

    /** One logit per image (a forward call) for {@code count} images packed NCHW in {@code images}. */
    float[] logits(float[] images, int count);

    /**
     * Logits and dBCE(logit, label)/dimage per image, the gradient packed like the images;
     * {@code labels[i]} is 1 (real) or 0 (fake).
     */
    LogitsAndGradients gradients(float[] images, float[] labels, int count);
}
