package dev.forger.service.attacks;

import java.util.Set;

/** One attack method. Implementations are stateless and thread-safe: a run's state lives in its {@link AttackContext}. */
public interface Attack {
    /** The method name clients use: "fgsm", "pgd", ... */
    String name();

    /** False for the black-box attacks (spsa, square), which only make forward calls. */
    boolean usesGradients();

    /** The {@link AttackRequest} fields this attack reads (for docs and the "parameters" echo). */
    Set<String> parameterNames();

    /** Defaults and supported norms, for {@link AttackCatalog#resolve}. */
    AttackDefaults defaults();

    /**
     * The adversarial images for {@code context.count()} originals, in a fresh array: model units,
     * unquantized, in [-1, 1] and, when {@code epsilon} is one of {@link #parameterNames()}, in the ε-ball.
     *
     * @throws java.util.concurrent.CancellationException when the thread is interrupted (checked once per step)
     */
    float[] perturb(AttackContext context);
}
