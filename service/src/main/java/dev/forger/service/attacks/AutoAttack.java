package dev.forger.service.attacks;

import java.util.List;

/**
 * {@code auto}: a worst-case ensemble in the spirit of AutoAttack (Croce &amp; Hein 2020), for a discriminator
 * with one logit. APGD on the BCE towards the goal, APGD on the margin (the logit towards the goal, the
 * binary analogue of DLR and C&amp;W's loss), then Square, which needs no gradients; each runs on the images
 * the ones before it left unbroken, and an image counts as broken when any member broke it. Defaults are
 * AutoAttack's standard budget: 100 steps per APGD, 5,000 queries for Square (bounded by forger.attacks.*).
 * The members read the ensemble's own parameters (ε, norm, steps, random start, queries, seed, goal, quantize,
 * skipAtGoal), so each behaves as the same request to that method alone would: per image, since every random
 * draw for an image comes from the seed and the image itself ({@link AttackContext#random(int)}).
 */
final class AutoAttack extends BaseAttack implements EnsembleAttack {
    static final Attack BCE = new AutoPgd();
    static final Attack MARGIN = new AutoPgd("apgd-margin", AutoPgd.Loss.MARGIN);
    static final Attack SQUARE = new SquareAttack();

    AutoAttack() {
        super("auto", true, AttackDefaults.of(Norm.LINF, Norm.L2).steps(100).queries(5000).randomStart(true),
                "epsilon", "norm", "steps", "randomStart", "queries", "seed", "goal", "quantize");
    }

    @Override
    public List<ResolvedAttack> members(AttackParameters parameters) {
        // the parameters every member reads are the ensemble's; the ones a member does not read change nothing
        return List.of(new ResolvedAttack(BCE, parameters), new ResolvedAttack(MARGIN, parameters),
                new ResolvedAttack(SQUARE, parameters));
    }
}
