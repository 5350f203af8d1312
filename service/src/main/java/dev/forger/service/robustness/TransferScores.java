package dev.forger.service.robustness;

import dev.forger.service.attacks.AttackOutcome;
import dev.forger.service.attacks.Goal;
import dev.forger.service.attacks.ImageOutcome;
import dev.forger.service.registry.LoadedModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transferability: the images an attack returned on the source model, scored by other models. A unit that
 * transfers stores its outcomes with, per target, the target's logit of each original and of each adversarial
 * image. An image transfers when the target's verdict on the adversarial image meets the goal as the target sees
 * it: for real and fake the same side as on the source; for flip the opposite of <em>the target's own</em> verdict
 * on the original. (Measured against the source's verdict instead, two discriminators that disagree on the
 * originals — one calling every generated digit fake, say — would "transfer" every image the source called real
 * without the perturbation changing anything on the target: the matrix would show base rates, not transfer.)
 */
record TransferScores(List<ImageOutcome> outcomes, Map<String, Logits> transfer) {

    /** One target's logits, per image of the unit in order. */
    record Logits(float[] original, float[] adversarial) {}

    /** Scores the unit's originals and adversarial images on every target. */
    static TransferScores of(List<ImageOutcome> outcomes, AttackOutcome result, List<LoadedModel> targets, int count) {
        Map<String, Logits> transfer = new LinkedHashMap<>();
        for (LoadedModel target : targets) {
            transfer.put(target.name(), new Logits(target.score(result.originals(), count).join(),
                    target.score(result.adversarial(), count).join()));
        }
        return new TransferScores(outcomes, transfer);
    }

    /** Whether image k's adversarial image meets the goal on {@code target}, flip meaning a change of its verdict. */
    boolean transferred(String target, int k, Goal goal) {
        Logits scored = transfer.get(target);
        return Goal.reached(goal.label(scored.original()[k]), scored.adversarial()[k]);
    }
}
