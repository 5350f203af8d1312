package dev.forger.service.robustness;

import dev.forger.service.attacks.AttackLimits;
import dev.forger.service.attacks.AttackModel;
import dev.forger.service.attacks.AttackOutcome;
import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.AttackRunner;
import dev.forger.service.attacks.AttackCatalog;
import dev.forger.service.attacks.ImageOutcome;
import dev.forger.service.attacks.ResolvedAttack;
import dev.forger.service.config.ForgerConfig;
import dev.forger.service.inference.QueueFullException;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import dev.forger.service.registry.LoadedModel;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs attacks off the request threads. An attack is a loop of batched model calls with cheap
 * Java between them, so its thread mostly waits on the batchers: a few platform threads serve
 * all requests, and a bounded queue turns overload into 503 instead of a backlog.
 */
@ApplicationScoped
public class AttackService {
    private final ForgerMetrics metrics;
    private final AttackLimits limits;
    private final int queueCapacity;
    private final ThreadPoolExecutor executor;

    public AttackService(ForgerConfig config, ForgerMetrics metrics) {
        this.metrics = metrics;
        ForgerConfig.Attacks attacks = config.attacks();
        this.limits = new AttackLimits(attacks.maxSteps(), attacks.maxQueries(), attacks.maxSearchSteps());
        this.queueCapacity = attacks.queueCapacity();
        AtomicInteger id = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(attacks.threads(), attacks.threads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(attacks.queueCapacity()), r -> {
                    Thread t = new Thread(r, "forger-attack-" + id.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** The bounds from forger.attacks.* that every request is checked against. */
    public AttackLimits limits() {
        return limits;
    }

    /**
     * Fills the attack's defaults and checks every value against forger.attacks.*, and that a
     * white-box attack has a gradient graph to work with.
     */
    public ResolvedAttack resolve(LoadedModel model, AttackRequest request) {
        ResolvedAttack resolved = AttackCatalog.resolve(request, limits);
        if (resolved.attack().usesGradients() && !model.hasGradients()) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "method", "model '" + model.name() + "' has no"
                    + " gradient graph (its discriminator could not be differentiated), so white-box attacks"
                    + " cannot run on it; use method=square or method=spsa, which need forward calls only");
        }
        return resolved;
    }

    /**
     * Queues an attack on {@code count} images (NCHW in [-1, 1]).
     *
     * @throws QueueFullException when forger.attacks.queue-capacity requests are already waiting
     */
    public CompletableFuture<AttackOutcome> submit(LoadedModel model, ResolvedAttack attack, float[] images, int count) {
        try {
            return CompletableFuture.supplyAsync(() -> run(model, attack, images, count), executor);
        } catch (RejectedExecutionException e) {
            throw new QueueFullException("attack", queueCapacity);
        }
    }

    /** Runs an attack on the calling thread (an evaluation job's), with the same metrics. */
    public AttackOutcome run(LoadedModel model, ResolvedAttack attack, float[] images, int count) {
        return run(model, attack, model.attackModel(), true, images, count);
    }

    /**
     * Runs an attack through any of the model's attack models (latent, class goals) on the calling thread, with
     * the same metrics; {@code discriminatorScores} says whether the target's scores are the discriminator's
     * logits (a class goal's are margins, not verdicts of D: they are kept out of forger_real_probability).
     */
    public AttackOutcome run(LoadedModel model, ResolvedAttack attack, AttackModel target, boolean discriminatorScores,
                             float[] points, int count) {
        long start = System.nanoTime();
        AttackOutcome outcome = AttackRunner.run(attack, target, points, count);
        long nanos = System.nanoTime() - start;
        int successes = 0;
        for (ImageOutcome image : outcome.results()) {
            successes += image.success() ? 1 : 0;
            if (discriminatorScores) {
                metrics.realProbability(model.name(), "adversarial", image.adversarialProbability());
            }
        }
        metrics.imagesScored(model.name(), "adversarial", count);
        metrics.attackRan(model.name(), attack.attack().name(), successes, count - successes, nanos);
        return outcome;
    }

    /**
     * Queues any attack work on the attack threads, under the same queue bound as {@link #submit}.
     *
     * @throws QueueFullException when forger.attacks.queue-capacity requests are already waiting
     */
    public <T> CompletableFuture<T> submit(java.util.function.Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, executor);
        } catch (RejectedExecutionException e) {
            throw new QueueFullException("attack", queueCapacity);
        }
    }

    @PreDestroy
    void shutdown() {
        executor.shutdownNow();
    }
}
