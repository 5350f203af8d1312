package dev.forger.service.robustness;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One image in one {@link ManifoldSearch}: whether the verdict changed within the bound, the smallest budget
 * found (ε in pixel units, or δ in latent units; null when none was found or the image already met the goal),
 * how far the returned image is from G(z) in pixels at that point, the verdicts before and after, and the calls.
 *
 * @param classBefore null without a classifier
 * @param point       the returned point (z' for latent searches, the image for pixel ones), kept for the first
 *                    images only: the gallery draws them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifoldRow(int index, boolean success, boolean alreadyAtGoal, Double budget, Double pixelLinf,
                          Double pixelL2, float logitBefore, float logitAfter, Integer classBefore, Integer classAfter,
                          int gradientCalls, int forwardCalls, float[] point) {}
