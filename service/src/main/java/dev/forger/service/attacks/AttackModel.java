package dev.forger.service.attacks;

import dev.forger.service.imaging.ImageShape;

/**
 * The discriminator as attacks see it. Implementations are thread-safe. The points an attack moves are
 * images unless {@link #space()} says otherwise (latents: then {@link #imageShape()} is the shape of the
 * images they generate, and "images" below are points of that space).
 */
public interface AttackModel {
    ImageShape imageShape();

    /** Where the points live: the image's pixels by default. */
    default AttackSpace space() {
        return AttackSpace.pixel(imageShape());
    }

    /**
     * This model for calls whose i-th packed point belongs to image {@code owners[i]} of the run: a model
     * whose answer depends on each image's own goal (a class goal's class) answers through such a view;
     * others are the same for every image.
     */
    default AttackModel forImages(int[] owners) {
        return this;
    }

    /** One logit per image (a forward call) for {@code count} images packed NCHW in {@code images}. */
    float[] logits(float[] images, int count);

    /**
     * Logits and dBCE(logit, label)/dimage per image, the gradient packed like the images;
     * {@code labels[i]} is 1 (real) or 0 (fake).
     */
    LogitsAndGradients gradients(float[] images, float[] labels, int count);
}
