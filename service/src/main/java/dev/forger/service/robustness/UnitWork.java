package dev.forger.service.robustness;

import dev.forger.service.attacks.AttackOutcome;
import dev.forger.service.attacks.ImageOutcome;
import dev.forger.service.attacks.ResolvedAttack;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.ModelRegistry;
import dev.forger.service.store.EvaluationStore.Claim;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One claimed unit, ready to attack: its evaluation's spec, the model (checked to be the one the
 * evaluation was planned on), the run's attack with every default filled in, and its slice of images.
 */
record UnitWork(EvaluationSpec spec, LoadedModel model, ResolvedAttack attack, float[] slice, int firstImage, int count,
                List<LoadedModel> targets) {

    static UnitWork of(Claim claim, EvaluationInputs inputs, ModelRegistry registry, AttackService attacks, String replica) {
        EvaluationInputs.Inputs in = inputs.of(claim.evaluationId());
        LoadedModel model = served(registry, in.spec().model(), in.spec().modelSha256(), replica);
        List<LoadedModel> targets = new ArrayList<>();
        if (in.spec().transfers()) {
            for (ModelIdentity target : in.spec().transferTo()) {
                targets.add(served(registry, target.name(), target.sha256(), replica));
            }
        }
        int size = model.imageShape().size();
        float[] slice = Arrays.copyOfRange(in.images(), claim.firstImage() * size,
                (claim.firstImage() + claim.imageCount()) * size);
        return new UnitWork(in.spec(), model, EvaluationPlan.attack(in.spec(), claim.runIndex(), model, attacks), slice,
                claim.firstImage(), claim.imageCount(), List.copyOf(targets));
    }

    /**
     * The model named, checked to be the discriminator the evaluation was planned on.
     *
     * @throws UnservedModelException when this replica serves another version of it, or does not serve it
     */
    private static LoadedModel served(ModelRegistry registry, String name, String sha256, String replica) {
        LoadedModel model;
        try {
            model = registry.get(name);
        } catch (ClientProblem e) {
            if (e.type() != ProblemType.UNKNOWN_MODEL) {
                throw e;
            }
            throw new UnservedModelException("replica " + replica + " does not serve model '" + name + "', which the"
                    + " evaluation was planned on (discriminator sha256 " + sha256 + "); serve the same bundle on every"
                    + " replica");
        }
        ModelIdentity identity = ModelIdentity.of(model);
        if (sha256 != null && !sha256.equals(identity.sha256())) {
            throw new UnservedModelException("replica " + replica + " serves model '" + model.name() + "' with"
                    + " discriminator sha256 " + identity.sha256() + ", but the evaluation was planned on sha256 "
                    + sha256 + "; serve the same bundle on every replica");
        }
        return model;
    }

    /** What the store keeps of the unit: its outcomes, with every target's scores when the evaluation transfers. */
    String results(AttackOutcome result) {
        List<ImageOutcome> outcomes = outcomes(result);
        return UnitResults.write(spec.transfers() ? TransferScores.of(outcomes, result, targets, count) : outcomes);
    }

    /** The attack's per-image outcomes, numbered by their place among all the evaluation's images. */
    List<ImageOutcome> outcomes(AttackOutcome result) {
        List<ImageOutcome> outcomes = new ArrayList<>(count);
        for (ImageOutcome r : result.results()) {
            outcomes.add(r.withIndex(firstImage + r.index()));
        }
        return outcomes;
    }
}
