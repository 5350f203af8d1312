package dev.forger.service.attacks;

import java.util.List;

/** The result of one {@link AttackRunner#run}: one outcome per image and the images returned (NCHW, [-1, 1], quantized if asked). */
public record AttackOutcome(List<ImageOutcome> results, float[] adversarial) {}
