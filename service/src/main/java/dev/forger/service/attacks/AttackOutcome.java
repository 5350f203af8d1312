package dev.forger.service.attacks;

import java.util.List;

/**
 * The result of one {@link AttackRunner#run}: one outcome per image, the images returned (NCHW, [-1, 1], 8-bit
 * when quantized) and the originals they are compared to (the 8-bit versions of the inputs when quantized);
 * for an ensemble, what each member did ({@code members}, null for a single attack).
 */
public record AttackOutcome(List<ImageOutcome> results, float[] adversarial, float[] originals,
                            List<MemberRun> members) {

    public AttackOutcome(List<ImageOutcome> results, float[] adversarial, float[] originals) {
        this(results, adversarial, originals, null);
    }

    /** One member of an ensemble: how many images it attacked and broke, and the model calls it spent on them. */
    public record MemberRun(String method, int images, int broken, long gradientCalls, long forwardCalls) {}
}
