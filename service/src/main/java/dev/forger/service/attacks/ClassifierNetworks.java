package dev.forger.service.attacks;

import dev.forger.service.imaging.ImageShape;

/**
 * A bundle's classifier with its discriminator beside it, in one {@link AttackSpace}: pixel (both read the
 * image) or latent (both read the generator's image of z). What class goals attack through; implemented
 * over the registry's cached composed graphs and their micro-batchers. Thread-safe; calls block.
 */
public interface ClassifierNetworks {
    /** The objective the gradient descends (per sample weight +1 towards {@code class}, -1 away from it). */
    enum ClassLoss {
        /** Softmax cross-entropy: bounded below, its pull fades as the class wins (for class:k). */
        CROSS_ENTROPY,
        /** max over other classes minus the class's logit (Carlini-Wagner): no blow-up when ascended (class-change). */
        LOGIT_MARGIN
    }

    AttackSpace space();

    /** The images' shape (what the points are, or what the generator makes of them). */
    ImageShape imageShape();

    /** K, the classifier's number of classes. */
    int classes();

    /** Per point the K class logits, then the discriminator's logit: {@code count * (K + 1)} floats. */
    float[] verdicts(float[] points, int count);

    /**
     * Per point K class logits, the discriminator's logit, then the gradient with respect to the point of
     * {@code weight · loss(logits, class) + realism · BCE(logit, real)}: {@code count * (K + 1 + size)} floats.
     */
    float[] gradients(float[] points, int[] classes, float[] weights, float[] realism, int count, ClassLoss loss);
}
