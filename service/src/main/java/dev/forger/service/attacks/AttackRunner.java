package dev.forger.service.attacks;

import dev.forger.service.imaging.Pixels;
import java.util.ArrayList;
import java.util.List;

/**
 * The one entry point the API calls. Around every attack it does, once: score the originals, turn the
 * goal into a BCE target per image, leave images that already meet their goal alone, run the attack on
 * the others, re-project and clip, quantize to 8 bits if asked, score exactly the images returned, and
 * report success, perturbation norms (pixel units) and per-image call counts.
 */
public final class AttackRunner {
    private AttackRunner() {}

    /**
     * @param images {@code count} images, NCHW in [-1, 1]; not modified
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted
     */
    public static AttackOutcome run(ResolvedAttack resolved, AttackModel model, float[] images, int count) {
        int size = model.imageShape().size();
        if (count < 1 || images.length != count * size) {
            throw new IllegalArgumentException("expected " + count + " images of " + size + " floats, got "
                    + images.length + " floats");
        }
        AttackParameters parameters = resolved.parameters();
        Attack attack = resolved.attack();
        CountingAttackModel counting = new CountingAttackModel(model, count);
        float[] original = counting.charging(Batch.range(count)).logits(images, count);

        float[] labels = new float[count];
        boolean[] pending = new boolean[count];
        for (int i = 0; i < count; i++) {
            labels[i] = parameters.goal().label(original[i]);
            pending[i] = !Goal.reached(labels[i], original[i]);
        }
        int[] attacked = Batch.where(pending);
        float[] adversarial = images.clone();
        float[] adversarialLogits = original.clone();
        if (attacked.length > 0) {
            float[] originals = Batch.gather(images, attacked, size);
            AttackContext context = new AttackContext(counting, attacked, originals, Batch.gather(labels, attacked),
                    parameters, model.imageShape());
            float[] result = attack.perturb(context);
            finish(attack, context, result);
            float[] logits = context.logits(result);
            Batch.scatter(result, attacked, adversarial, size);
            for (int k = 0; k < attacked.length; k++) {
                adversarialLogits[attacked[k]] = logits[k];
            }
        }

        List<ImageOutcome> outcomes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double linf = 0;
            double sum = 0;
            for (int j = i * size, end = j + size; j < end; j++) {
                double d = (double) adversarial[j] - images[j];
                linf = Math.max(linf, Math.abs(d));
                sum += d * d;
            }
            boolean success = Goal.reached(labels[i], adversarialLogits[i]);
            outcomes.add(new ImageOutcome(i, success, original[i], adversarialLogits[i], linf / 2, Math.sqrt(sum) / 2,
                    counting.gradientCalls(i), counting.forwardCalls(i)));
        }
        return new AttackOutcome(List.copyOf(outcomes), adversarial);
    }

    /** Makes the attack's output what the client gets: finite, in the box (and ball), quantized if asked. */
    private static void finish(Attack attack, AttackContext context, float[] result) {
        if (result.length != context.originals().length) {
            throw new IllegalStateException(attack.name() + " returned " + result.length + " floats for "
                    + context.originals().length);
        }
        for (float v : result) {
            if (!Float.isFinite(v)) {
                throw new IllegalStateException(attack.name() + " produced a non-finite pixel");
            }
        }
        if (attack.parameterNames().contains("epsilon")) {
            context.ball().project(result, context.originals()); // a no-op for well-behaved attacks
        } else {
            EpsilonBall.clip(result);
        }
        if (context.parameters().quantize()) {
            quantize(result);
        }
    }

    /** Rounds to the nearest of the 256 grey levels ({@code round((x + 1) · 127.5)}). */
    static void quantize(float[] x) {
        for (int j = 0; j < x.length; j++) {
            x[j] = Pixels.toModel(Pixels.toPixel(x[j]));
        }
    }
}
