package dev.forger.service.attacks;

/** What one gradient call returns: a logit per image, and dLoss/dimage packed like the images. */
public record LogitsAndGradients(float[] logits, float[] gradients) {}
