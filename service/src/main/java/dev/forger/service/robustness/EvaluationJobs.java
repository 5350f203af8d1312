package dev.forger.service.robustness;

import dev.forger.service.config.ForgerConfig;
import dev.forger.service.inference.QueueFullException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The evaluation jobs: at most {@code forger.evaluation.max-jobs} kept at once, run one after
 * another on one thread (an evaluation saturates the batchers by itself), and forgotten
 * {@code job-ttl} after they finish.
 */
@ApplicationScoped
public class EvaluationJobs {
    private static final Logger LOG = Logger.getLogger(EvaluationJobs.class);

    private final AttackService attacks;
    private final int maxJobs;
    private final int imagesPerRun;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, EvaluationJob> jobs = new ConcurrentHashMap<>();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "forger-evaluation");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public EvaluationJobs(ForgerConfig config, AttackService attacks) {
        this(attacks, config.evaluation().maxJobs(), config.evaluation().jobTtl(),
                config.limits().maxImagesPerRequest(), Clock.systemUTC());
    }

    EvaluationJobs(AttackService attacks, int maxJobs, Duration ttl, int imagesPerRun, Clock clock) {
        this.attacks = attacks;
        this.maxJobs = maxJobs;
        this.imagesPerRun = imagesPerRun;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * Queues the plan as a new job.
     *
     * @throws QueueFullException when max-jobs jobs are queued, running or not yet expired
     */
    public synchronized EvaluationJob submit(EvaluationPlan plan) {
        expire();
        if (jobs.size() >= maxJobs) {
            throw new QueueFullException("evaluation", maxJobs);
        }
        EvaluationJob job = new EvaluationJob(UUID.randomUUID().toString(), new Evaluation(plan, imagesPerRun), clock.instant());
        jobs.put(job.id(), job);
        job.attach(runner.submit(() -> run(job)));
        return job;
    }

    private void run(EvaluationJob job) {
        job.start(clock.instant());
        if (job.state() != EvaluationJob.State.RUNNING) {
            return; // cancelled while queued
        }
        try {
            job.evaluation().run(attacks);
            job.finish(EvaluationJob.State.SUCCEEDED, null, clock.instant());
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof CancellationException || Thread.currentThread().isInterrupted()) {
                job.finish(EvaluationJob.State.CANCELLED, null, clock.instant());
            } else {
                LOG.warnf(cause, "evaluation %s failed", job.id());
                job.finish(EvaluationJob.State.FAILED, cause.getMessage(), clock.instant());
            }
        }
    }

    public Optional<EvaluationJob> get(String id) {
        expire();
        return Optional.ofNullable(jobs.get(id));
    }

    /** Cancels a job that is still going, or forgets a finished one. */
    public Optional<EvaluationJob> delete(String id) {
        EvaluationJob job = jobs.get(id);
        if (job == null) {
            return Optional.empty();
        }
        if (!job.cancel(clock.instant())) {
            jobs.remove(id);
        }
        return Optional.of(job);
    }

    private void expire() {
        Instant now = clock.instant();
        for (Iterator<EvaluationJob> it = jobs.values().iterator(); it.hasNext(); ) {
            EvaluationJob job = it.next();
            if (job.finished() != null && job.finished().plus(ttl).isBefore(now)) {
                it.remove();
            }
        }
    }

    @PreDestroy
    void shutdown() {
        runner.shutdownNow();
    }
}
