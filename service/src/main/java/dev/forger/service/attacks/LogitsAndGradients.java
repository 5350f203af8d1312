package dev.forger.service.attacks;

/**
 * What one gradient call returns: a logit (score) per image, dLoss/dimage packed like the images and, when the
 * model's loss is not BCE towards the goal of that score (a class goal with its realism term), the loss itself
 * per image (null otherwise: it follows from the logit).
 */
public record LogitsAndGradients(float[] logits, float[] gradients, double[] losses) {

    public LogitsAndGradients(float[] logits, float[] gradients) {
        this(logits, gradients, null);
    }
}
