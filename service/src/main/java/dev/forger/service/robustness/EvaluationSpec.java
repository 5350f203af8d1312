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
 * @param files      the sha256 of every file of the bundle as it was served when the evaluation was planned
 *                   (null in specs stored before they were recorded)
 * @param transferTo the models every adversarial image is also scored on (transferability), as identified when
 *                   planned; null for none
 */
public record EvaluationSpec(String model, String modelVersion, String modelSha256,
                             RobustnessReport.ImageSource images, Goal goal, long seed, List<Double> epsilons,
                             List<AttackRequest> attacks, List<Run> runs, int unitImages, ManifoldPlan manifold,
                             List<BundleFile> files, List<ModelIdentity> transferTo) {

    public EvaluationSpec(String model, String modelVersion, String modelSha256, RobustnessReport.ImageSource images,
                          Goal goal, long seed, List<Double> epsilons, List<AttackRequest> attacks, List<Run> runs,
                          int unitImages, ManifoldPlan manifold) {
        this(model, modelVersion, modelSha256, images, goal, seed, epsilons, attacks, runs, unitImages, manifold, null,
                null);
    }

    /** The same spec with the bundle's file digests. */
    public EvaluationSpec withFiles(List<BundleFile> bundleFiles) {
        return new EvaluationSpec(model, modelVersion, modelSha256, images, goal, seed, epsilons, attacks, runs,
                unitImages, manifold, bundleFiles, transferTo);
    }

    /** The same spec whose adversarial images are also scored on {@code targets} (name, version, sha256 each). */
    public EvaluationSpec withTransferTo(List<ModelIdentity> targets) {
        return new EvaluationSpec(model, modelVersion, modelSha256, images, goal, seed, epsilons, attacks, runs,
                unitImages, manifold, files, targets == null || targets.isEmpty() ? null : List.copyOf(targets));
    }

    /** Whether the adversarial images are scored on other models too. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean transfers() {
        return transferTo != null && !transferTo.isEmpty();
    }

    /** One file of the model's bundle: its role (manifest, generator, discriminator, …), name and sha256. */
    public record BundleFile(String role, String file, String sha256) {}

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
     * @param epsilon    null for minimal-perturbation attacks
     * @param parameters every parameter the attack reads, resolved (defaults, seed and goal filled in) as the
     *                   run was planned; null in specs stored before they were recorded
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Run(int attack, String method, String norm, Double epsilon, java.util.Map<String, Object> parameters) {

        public Run(int attack, String method, String norm, Double epsilon) {
            this(attack, method, norm, epsilon, null);
        }

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
