package dev.forger.service.robustness;

import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.Goal;
import java.util.List;

/**
 * Everything an evaluation was asked to do, stored with it as JSON: any replica rebuilds the same
 * attack runs from it, and the history shows it so that a researcher can repeat the evaluation.
 *
 * @param attacks    the attacks as the client gave them (null fields take defaults)
 * @param runs       the planned attack runs, in report order: each bounded attack once per epsilon,
 *                   each minimal-perturbation attack (deepfool, cw) once
 * @param unitImages images per unit; with the seed it fixes every random choice, so it is part of the spec
 * @param manifold   the on/off-manifold searches, for that type of evaluation; null for an attack sweep
 */
public record EvaluationSpec(String model, String modelVersion, String modelSha256,
                             RobustnessReport.ImageSource images, Goal goal, long seed, List<Double> epsilons,
                             List<AttackRequest> attacks, List<Run> runs, int unitImages, ManifoldPlan manifold) {

    /** A robustness evaluation (attacks × epsilons). */
    public EvaluationSpec(String model, String modelVersion, String modelSha256, RobustnessReport.ImageSource images,
                          Goal goal, long seed, List<Double> epsilons, List<AttackRequest> attacks, List<Run> runs,
                          int unitImages) {
        this(model, modelVersion, modelSha256, images, goal, seed, epsilons, attacks, runs, unitImages, null);
    }

    /** Whether this is an on/off-manifold evaluation ({@link ManifoldPlan}) rather than an attack sweep. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isManifold() {
        return manifold != null;
    }

    /**
     * One attack run over all images.
     *
     * @param attack  index into {@link #attacks()}
     * @param norm    the norm it runs in (linf or l2), resolved
     * @param epsilon null for minimal-perturbation attacks
     */
    public record Run(int attack, String method, String norm, Double epsilon) {
        public boolean minimal() {
            return epsilon == null;
        }
    }

    /** Units per run: the images cut into slices of {@link #unitImages()}. */
    public int slices() {
        return (images.count() + unitImages - 1) / unitImages;
    }

    public int units() {
        return runs.size() * slices();
    }
}
