package dev.forger.service.attacks;

import java.util.List;

/**
 * An attack made of other attacks, run one after another on the images none of them has broken yet
 * ({@link EnsembleRunner}). {@link AttackRunner} runs each member exactly as it runs a single attack, so a
 * member's verdicts, rounding and ε-ball are the ones {@code /attack} would give it.
 */
interface EnsembleAttack extends Attack {
    /** The members in the order they run, with the parameters they run with. */
    List<ResolvedAttack> members(AttackParameters parameters);

    @Override
    default float[] perturb(AttackContext context) {
        throw new IllegalStateException(name() + " is an ensemble: AttackRunner runs its members one by one");
    }
}
