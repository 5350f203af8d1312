package dev.forger.service.attacks;

import java.util.List;

/**
 * The result of one {@link AttackRunner#run}: one outcome per image, the images returned (NCHW, [-1, 1], 8-bit
 * when quantized) and the originals they are compared to (the 8-bit versions of the inputs when quantized).
 */
public record AttackOutcome(List<ImageOutcome> results, float[] adversarial, float[] originals) {}
