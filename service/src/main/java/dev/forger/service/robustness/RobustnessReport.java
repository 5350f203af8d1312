package dev.forger.service.robustness;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What an evaluation found, possibly partial while it runs: one {@link SweepPoint} per bounded
 * attack and epsilon, one {@link MinimalRun} per minimal-perturbation attack (deepfool, cw), and
 * per image the smallest successful L2 any of those found, and the gradient-masking checks of
 * {@link MaskingDiagnostics} over the finished runs ({@code diagnostics}: every check with its number;
 * {@code warnings}: those past their limit); or, for an on/off-manifold evaluation, the {@link ManifoldReport} alone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RobustnessReport(String model, ImageSource images, String goal, List<Double> epsilons,
                               List<SweepPoint> sweep, List<MinimalRun> minimal, List<Double> smallestL2,
                               ManifoldReport manifold, List<MaskingDiagnostics.Check> diagnostics,
                               List<MaskingDiagnostics.Check> warnings, List<TransferPoint> transfer) {

    public RobustnessReport(String model, ImageSource images, String goal, List<Double> epsilons,
                            List<SweepPoint> sweep, List<MinimalRun> minimal, List<Double> smallestL2) {
        this(model, images, goal, epsilons, sweep, minimal, smallestL2, null, null, null, null);
    }

    public RobustnessReport(String model, ImageSource images, String goal, List<Double> epsilons,
                            List<SweepPoint> sweep, List<MinimalRun> minimal, List<Double> smallestL2,
                            ManifoldReport manifold) {
        this(model, images, goal, epsilons, sweep, minimal, smallestL2, manifold, null, null, null);
    }

    /**
     * Where the images came from: generated with a seed, or uploaded; {@code sha256} is that of the images as
     * evaluated (float32 little-endian NCHW, the bytes the store keeps), recorded when the evaluation is planned.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageSource(String source, int count, Long seed, String sha256) {

        public ImageSource(String source, int count, Long seed) {
            this(source, count, seed, null);
        }

        public ImageSource withSha256(String digest) {
            return new ImageSource(source, count, seed, digest);
        }
    }

    /** One attack at one epsilon over all images; probabilities are the discriminator's P(real). */
    public record SweepPoint(String method, String norm, double epsilon, double successRate,
                             double meanRealProbabilityBefore, double meanRealProbabilityAfter,
                             double medianRealProbabilityBefore, double medianRealProbabilityAfter,
                             double meanLinf, double meanL2, double meanGradientCalls, double meanForwardCalls,
                             long elapsedMs) {}

    /**
     * Transferability of one attack run: the share of images whose adversarial image meets the attack's goal on
     * each model, the source first (its own success rate), then every target in the order asked.
     */
    public record TransferPoint(String method, String norm, Double epsilon, java.util.Map<String, Double> successRate) {}

    /** A minimal-perturbation attack: per image the L2 it needed, null where it failed. */
    public record MinimalRun(String method, double successRate, Double medianL2, List<Double> l2,
                             double meanGradientCalls, double meanForwardCalls, long elapsedMs) {}
}
