package dev.forger.service.robustness;

import dev.forger.service.config.ForgerConfig;
import dev.forger.service.inference.QueueFullException;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.registry.ModelRegistry;
import dev.forger.service.store.EvaluationStore;
import dev.forger.service.store.EvaluationStore.Claim;
import dev.forger.service.store.StoreException;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * This replica's share of the evaluation work: {@code forger.evaluation.workers} threads that claim
 * units from the shared store, run them and record their results, and one heartbeat thread that renews
 * their leases, stops a unit whose evaluation was cancelled (on any replica) or taken over, tells the
 * store this replica is alive, and keeps the store tidy (retention, units whose replicas kept dying,
 * replicas long gone) and the unit gauges current.
 *
 * <p>A unit planned on a version of a model this replica does not serve (it was reloaded, or this is a
 * new pod of a rolling update) is handed back for replicas that still serve it; the evaluation fails,
 * saying which sha256 was planned and which is served, once every live replica has refused it.
 */
@Startup
@ApplicationScoped
public class EvaluationWorkers {
    private static final Logger LOG = Logger.getLogger(EvaluationWorkers.class);
    /** Janitor work (retention, exhausted units) runs every this many heartbeats. */
    private static final int JANITOR_EVERY = 30;
    /** Replicas not seen for this long died without leaving: their rows go. */
    private static final Duration REPLICA_FORGOTTEN_AFTER = Duration.ofHours(1);
    /** What became of a unit a worker held; forger_evaluation_units_processed_total's outcome label. */
    static final List<String> OUTCOMES = List.of("done", "lease-lost", "stopped", "released", "refused", "failed");

    private final EvaluationStore store;
    private final ModelRegistry registry;
    private final AttackService attacks;
    private final ForgerMetrics metrics;
    private final ForgerConfig.Evaluation settings;
    private final String replica;
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    /** The worker of {@link #runOne()}, created by its first call. */
    private Worker caller;
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "forger-evaluation-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Integer> unitGauges = new LinkedHashMap<>(Map.of("queued", 0, "running", 0));
    private final AtomicInteger beats = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean running = true;
    private final EvaluationInputs inputs;
    private final Timer claimTime;
    private final Timer completeTime;

    private final ThreatAttacks threats;

    @Inject
    public EvaluationWorkers(EvaluationStore store, ModelRegistry registry, AttackService attacks, ForgerMetrics metrics,
                             ForgerConfig config, ThreatAttacks threats) {
        this(store, registry, attacks, metrics, config.evaluation(), threats, replicaName());
    }

    /** Another replica in the same JVM, not started: tests drive it with {@link #runOne()} and {@link #beat()}. */
    EvaluationWorkers(EvaluationStore store, ModelRegistry registry, AttackService attacks, ForgerMetrics metrics,
                      ForgerConfig.Evaluation settings, ThreatAttacks threats, String replica) {
        this.threats = threats;
        this.store = store;
        this.registry = registry;
        this.attacks = attacks;
        this.metrics = metrics;
        this.settings = settings;
        this.replica = replica;
        this.inputs = new EvaluationInputs(store);
        this.claimTime = metrics.storeCall("claim");
        this.completeTime = metrics.storeCall("complete");
    }

    @PostConstruct
    void start() {
        for (String state : List.of("queued", "running")) {
            metrics.evaluationUnits(state, () -> unitGauge(state));
        }
        metrics.evaluationUnitOutcomes(OUTCOMES); // at 0 from the start, so rates and alerts see a series
        try {
            present(); // before the first claim: a unit refused elsewhere meanwhile waits for this replica too
        } catch (StoreException e) {
            LOG.warnf("evaluation store: %s; the heartbeat retries", e.getMessage());
        }
        for (int i = 0; i < settings.workers(); i++) {
            Worker worker = new Worker();
            workers.add(worker);
            Thread thread = new Thread(worker::loop, "forger-evaluation-" + (i + 1));
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long beat = Math.max(50, settings.heartbeat().toMillis());
        heartbeat.scheduleWithFixedDelay(this::beat, beat, beat, TimeUnit.MILLISECONDS);
        LOG.infof("evaluation workers: %d on replica %s (lease %s, heartbeat %s)", settings.workers(), replica,
                settings.lease(), settings.heartbeat());
    }

    /** This replica's name in leases: the host (the pod's name in Kubernetes) and the process id. */
    public String replica() {
        return replica;
    }

    /** Lets idle workers look for new units now rather than at their next poll. */
    public void wake() {
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    private synchronized int unitGauge(String state) {
        return unitGauges.getOrDefault(state, 0);
    }

    /**
     * Claims one unit and runs it on the calling thread, as a worker thread would.
     *
     * @return what became of it (an {@link #OUTCOMES} label), or null when no unit was claimable
     */
    String runOne() {
        synchronized (workers) { // not this: the gauges lock it, and a unit can run for minutes
            if (caller == null) {
                caller = new Worker();
                workers.add(caller);
            }
            return caller.step();
        }
    }

    /** Only a replica that runs units counts as one that could run a refused evaluation's units. */
    private void present() {
        if (settings.workers() > 0) {
            store.seen(replica);
        }
    }

    void beat() {
        try {
            present();
            for (Worker worker : workers) {
                worker.renewOrStop();
            }
            Map<String, Integer> counts = store.unitCounts();
            synchronized (this) {
                unitGauges.replaceAll((state, old) -> counts.getOrDefault(state, 0));
            }
            if (beats.incrementAndGet() % JANITOR_EVERY == 1) {
                int expired = store.expire(settings.retention());
                if (expired > 0) {
                    LOG.infof("deleted %d evaluation(s) older than forger.evaluation.retention (%s)", expired,
                            settings.retention());
                }
                store.failExhausted(settings.maxAttempts())
                        .forEach(id -> LOG.warnf("evaluation %s failed: a unit's replicas kept dying", id));
                store.forgetReplicas(REPLICA_FORGOTTEN_AFTER);
            }
        } catch (RuntimeException e) {
            LOG.warnf("evaluation heartbeat failed (will retry): %s", e.getMessage());
        }
    }

    /**
     * One worker and the unit it holds, run by one thread. That thread is interrupted only while an attack
     * runs (attacks stop at their next step): an interrupt during a JDBC call could close the embedded
     * database's file.
     */
    private final class Worker {
        private Thread runner;
        private Claim current;
        private boolean attacking;
        private boolean stopRequested;

        void loop() {
            while (running) {
                try {
                    if (step() == null) {
                        synchronized (idle) {
                            if (running) {
                                idle.wait(settings.poll().toMillis());
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    // not expected (interrupts land only in attacks); the loop condition decides
                } catch (StoreException e) {
                    if (running) {
                        LOG.warnf("evaluation worker: %s; retrying", e.getMessage());
                        pause(settings.poll());
                    }
                }
            }
        }

        /** Claims a unit and runs it on the calling thread; null when none was claimable, else what became of it. */
        String step() {
            long claimStart = System.nanoTime();
            Claim claim = store.claim(replica, settings.lease(), settings.maxAttempts()).orElse(null);
            if (claim == null) {
                return null;
            }
            claimTime.record(System.nanoTime() - claimStart, TimeUnit.NANOSECONDS);
            holding(claim);
            try {
                return run(claim);
            } finally {
                holding(null);
            }
        }

        private synchronized void holding(Claim claim) {
            current = claim;
            runner = claim == null ? null : Thread.currentThread();
            stopRequested = false;
        }

        private synchronized void attacking(boolean on) {
            attacking = on;
            if (!on) {
                Thread.interrupted(); // clear an interrupt that arrived as the attack ended
            }
        }

        private synchronized boolean stopRequested() {
            return stopRequested;
        }

        /** Stops the current unit: at once if its attack runs, else before the attack or the result is recorded. */
        synchronized void requestStop() {
            stopRequested = true;
            if (attacking && runner != null) {
                runner.interrupt();
            }
        }

        /** Renews this worker's lease; stops its unit when the lease is gone (cancelled or taken over). */
        synchronized void renewOrStop() {
            if (current != null && !store.renew(current, settings.lease())) {
                LOG.debugf("unit %d of %s is no longer ours (cancelled or taken over): stopping it", current.seq(),
                        current.evaluationId());
                requestStop();
            }
        }

        private String run(Claim claim) {
            long start = System.nanoTime();
            String outcome;
            try {
                UnitWork work = UnitWork.of(claim, inputs, registry, attacks, replica);
                if (stopRequested()) {
                    throw new CancellationException("unit stopped");
                }
                String results;
                attacking(true);
                try {
                    results = work.spec().isManifold() ? ManifoldUnit.run(work, claim.runIndex(), threats, attacks.limits())
                            : work.results(attacks.run(work.model(), work.attack(), work.slice(), work.count()));
                } finally {
                    attacking(false);
                }
                if (stopRequested()) {
                    throw new CancellationException("unit stopped");
                }
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                long completeStart = System.nanoTime();
                RobustnessReport[] finished = new RobustnessReport[1];
                boolean recorded = store.complete(claim, replica, results, elapsedMs, done -> {
                    finished[0] = ReportAssembler.assemble(work.spec(), done);
                    return UnitResults.write(finished[0]);
                });
                completeTime.record(System.nanoTime() - completeStart, TimeUnit.NANOSECONDS);
                outcome = recorded ? "done" : "lease-lost";
                if (recorded && finished[0] != null && !work.spec().isManifold()) {
                    try {
                        RobustnessMetrics.publish(metrics, store, claim.evaluationId(), work.spec(), finished[0]);
                    } catch (RuntimeException e) { // the evaluation is recorded; only its metrics are missing
                        LOG.warnf("metrics of evaluation %s not published: %s", claim.evaluationId(), e.getMessage());
                    }
                }
            } catch (StoreException e) {
                throw e;
            } catch (RuntimeException e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof CancellationException) {
                    outcome = stopped(claim);
                } else if (cause instanceof UnservedModelException) {
                    outcome = refused(claim, cause.getMessage());
                } else if (cause instanceof QueueFullException) {
                    // this replica's batchers are busy with other requests: let any replica take the unit later
                    store.release(claim);
                    pause(settings.poll());
                    outcome = "released";
                } else {
                    outcome = failed(claim, cause);
                }
            }
            metrics.evaluationUnitFinished(outcome, System.nanoTime() - start);
            return outcome;
        }

        /** Hands the unit to a replica that still serves the planned model, or fails it when none is left. */
        private String refused(Claim claim, String reason) {
            return switch (store.refuse(claim, replica, reason, settings.lease())) {
                case RELEASED -> {
                    LOG.infof("unit %d of %s left to other replicas: %s", claim.seq(), claim.evaluationId(), reason);
                    yield "refused";
                }
                case FAILED -> {
                    LOG.warnf("evaluation %s failed: no live replica serves the model it was planned on: %s",
                            claim.evaluationId(), reason);
                    yield "failed";
                }
                case NOT_HELD -> "lease-lost";
            };
        }

        private String stopped(Claim claim) {
            if (!running) {
                store.release(claim); // shutting down: hand the unit to another replica now
                return "released";
            }
            return "stopped";
        }

        private String failed(Claim claim, Throwable e) {
            String why = e instanceof ClientProblem p ? p.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warnf(e, "evaluation %s failed in unit %d", claim.evaluationId(), claim.seq());
            store.fail(claim.evaluationId(), why);
            return "failed";
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String replicaName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    /** Before the datasources close: running units go back to the queue for other replicas. */
    void stop(@Observes ShutdownEvent event) {
        running = false;
        heartbeat.shutdownNow();
        for (Worker worker : workers) {
            worker.requestStop();
        }
        wake();
        for (Thread thread : threads) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            store.leave(replica); // refused evaluations stop waiting for this replica now, not a lease later
        } catch (StoreException e) {
            LOG.debugf("could not leave the evaluation store: %s", e.getMessage());
        }
    }
}
