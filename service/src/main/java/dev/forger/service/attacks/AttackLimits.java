package dev.forger.service.attacks;

/** Bounds from configuration (forger.attacks.*): the most steps, black-box queries per image and C&W search steps. */
public record AttackLimits(int maxSteps, int maxQueries, int maxSearchSteps) {}
