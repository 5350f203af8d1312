package dev.forger.service.attacks;

import dev.forger.service.imaging.Pixels;
import java.util.ArrayList;
import java.util.List;

/**
 * The one entry point the API calls, in pixel or latent space ({@link AttackModel#space()}: latent points are
 * never rounded, and their norms are in latent units). Around every attack it does, once: take the 8-bit versions of the inputs
 * when the result will be 8-bit, score them, turn the goal into a BCE target per image, leave images that
 * already meet their goal alone (unless {@code skipAtGoal} is false), run the attack on the others, bring the
 * result into the box and the ε-ball and onto the grey levels if asked ({@link EpsilonBall#finish}), score
 * exactly the images returned, and report success, perturbation norms (pixel units) and per-image call counts.
 *
 * <p>The rule that makes ε a promise with {@code quantize=true}: the image each result is compared to is the
 * 8-bit version of the input (what a PNG of it holds; an uploaded PNG is its own 8-bit version), and the
 * result is rounded to the nearest grey levels that lie inside the ball around it. Both are on the grid, so
 * the reported norms are whole grey levels and never above ε. The original's own level is always inside,
 * so a rounding always exists; for L∞ below one grey level (ε &lt; 1/255) it is the only one, and the image
 * comes back unchanged.
 */
public final class AttackRunner {
    private AttackRunner() {}

    /**
     * @param images {@code count} images, NCHW in [-1, 1]; not modified
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted
     */
    public static AttackOutcome run(ResolvedAttack resolved, AttackModel model, float[] images, int count) {
        AttackSpace space = model.space();
        int size = space.size();
        if (count < 1 || images.length != count * size) {
            throw new IllegalArgumentException("expected " + count + " " + space.name() + " points of " + size
                    + " floats, got " + images.length + " floats");
        }
        AttackParameters parameters = resolved.parameters();
        Attack attack = resolved.attack();
        if (attack instanceof EnsembleAttack ensemble) {
            return EnsembleRunner.run(ensemble, parameters, model, images, count);
        }
        boolean greyLevels = parameters.quantize() && space.gridded();
        float[] originals = greyLevels ? GreyLevels.rounded(images) : images;
        CountingAttackModel counting = new CountingAttackModel(model, count);
        float[] original = counting.charging(Batch.range(count)).logits(originals, count);

        float[] labels = new float[count];
        boolean[] atGoal = new boolean[count];
        boolean[] pending = new boolean[count];
        for (int i = 0; i < count; i++) {
            labels[i] = parameters.goal().label(original[i]);
            atGoal[i] = Goal.reached(labels[i], original[i]);
            pending[i] = !atGoal[i] || !parameters.skipAtGoal();
        }
        int[] attacked = Batch.where(pending);
        float[] adversarial = originals.clone();
        float[] adversarialLogits = original.clone();
        if (attacked.length > 0) {
            float[] gathered = Batch.gather(originals, attacked, size);
            AttackContext context = new AttackContext(counting, attacked, gathered, Batch.gather(labels, attacked),
                    parameters, model.imageShape(), space);
            boolean bounded = bounded(attack);
            float[] result = bounded && context.ball().isPoint() ? gathered.clone() : attack.perturb(context);
            finish(attack, context, result, bounded);
            float[] logits = context.logits(result);
            Batch.scatter(result, attacked, adversarial, size);
            for (int k = 0; k < attacked.length; k++) {
                adversarialLogits[attacked[k]] = logits[k];
            }
        }

        List<ImageOutcome> outcomes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean success = Goal.reached(labels[i], adversarialLogits[i]);
            outcomes.add(new ImageOutcome(i, success, original[i], adversarialLogits[i],
                    PerturbationNorms.linf(adversarial, originals, i * size, size, greyLevels, space.unitsPerReported()),
                    PerturbationNorms.l2(adversarial, originals, i * size, size, greyLevels, space.unitsPerReported()),
                    counting.gradientCalls(i), counting.forwardCalls(i), atGoal[i], counting.firstGoalCall(i),
                    counting.zeroGradientCalls(i), null));
        }
        return new AttackOutcome(List.copyOf(outcomes), adversarial, greyLevels ? originals : images.clone());
    }

    /** Whether ε bounds the attack (the minimal-perturbation attacks, deepfool and cw, find their own size). */
    static boolean bounded(Attack attack) {
        return attack.parameterNames().contains("epsilon");
    }

    /** Makes the attack's output what the client gets: finite, in the box (and ball), on the grey levels if asked. */
    private static void finish(Attack attack, AttackContext context, float[] result, boolean bounded) {
        if (result.length != context.originals().length) {
            throw new IllegalStateException(attack.name() + " returned " + result.length + " floats for "
                    + context.originals().length);
        }
        for (float v : result) {
            if (!Float.isFinite(v)) {
                throw new IllegalStateException(attack.name() + " produced a non-finite pixel");
            }
        }
        boolean greyLevels = context.parameters().quantize() && context.space().gridded();
        if (bounded) {
            context.ball().finish(result, context.originals(), greyLevels);
        } else {
            context.space().clip(result);
            if (greyLevels) {
                Pixels.roundToGreyLevels(result);
            }
        }
    }
}
