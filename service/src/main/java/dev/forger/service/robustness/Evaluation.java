package dev.forger.service.robustness;

import dev.forger.service.attacks.ImageOutcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * Runs an {@link EvaluationPlan} one attack run at a time and keeps the report up to date, so
 * that a job's readers see partial results while it works. Thread-safe for one writer (the job's
 * thread) and many readers.
 */
public final class Evaluation {
    private final EvaluationPlan plan;
    private final int imagesPerRun;
    private final List<RobustnessReport.SweepPoint> sweep = new ArrayList<>();
    private final List<RobustnessReport.MinimalRun> minimal = new ArrayList<>();
    private final Double[] smallestL2;
    private int done;

    /**
     * @param imagesPerRun the most images one attack run takes, as on /attack: a forward-only attack
     *                     sends many probes per image and step (spsa: 65), which must fit the batcher's queue
     */
    public Evaluation(EvaluationPlan plan, int imagesPerRun) {
        this.plan = plan;
        this.imagesPerRun = imagesPerRun;
        this.smallestL2 = new Double[plan.count()];
    }

    /** Runs every planned attack; stops with CancellationException when the thread is interrupted. */
    public void run(AttackService attacks) {
        for (EvaluationPlan.Run run : plan.runs()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("evaluation cancelled");
            }
            long start = System.nanoTime();
            List<ImageOutcome> results = new ArrayList<>(plan.count());
            int size = plan.count() == 0 ? 0 : plan.images().length / plan.count();
            for (int first = 0; first < plan.count(); first += imagesPerRun) {
                int n = Math.min(imagesPerRun, plan.count() - first);
                float[] part = Arrays.copyOfRange(plan.images(), first * size, (first + n) * size);
                for (ImageOutcome r : attacks.run(plan.model(), run.attack(), part, n).results()) {
                    results.add(r.withIndex(first + r.index()));
                }
            }
            record(run, results, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private synchronized void record(EvaluationPlan.Run run, List<ImageOutcome> results, long elapsedMs) {
        double gradientCalls = Statistics.mean(results, ImageOutcome::gradientCalls);
        double forwardCalls = Statistics.mean(results, ImageOutcome::forwardCalls);
        if (run.minimal()) {
            List<Double> l2 = new ArrayList<>(results.size());
            for (ImageOutcome r : results) {
                l2.add(r.success() ? r.l2() : null);
                if (r.success() && (smallestL2[r.index()] == null || r.l2() < smallestL2[r.index()])) {
                    smallestL2[r.index()] = r.l2();
                }
            }
            double[] successful = l2.stream().filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
            minimal.add(new RobustnessReport.MinimalRun(run.method(), Statistics.successRate(results),
                    successful.length == 0 ? null : Statistics.median(successful), l2, gradientCalls, forwardCalls,
                    elapsedMs));
        } else {
            sweep.add(new RobustnessReport.SweepPoint(run.method(),
                    run.attack().parameters().norm().name().toLowerCase(Locale.ROOT), run.epsilon(),
                    Statistics.successRate(results),
                    Statistics.mean(results, ImageOutcome::originalProbability),
                    Statistics.mean(results, ImageOutcome::adversarialProbability),
                    Statistics.median(results, ImageOutcome::originalProbability),
                    Statistics.median(results, ImageOutcome::adversarialProbability),
                    Statistics.mean(results, ImageOutcome::linf), Statistics.mean(results, ImageOutcome::l2),
                    gradientCalls, forwardCalls, elapsedMs));
        }
        done++;
    }

    /** Attack runs finished so far. */
    public synchronized int done() {
        return done;
    }

    public int total() {
        return plan.runs().size();
    }

    /** The report as far as it goes: complete once {@link #done()} equals {@link #total()}. */
    public synchronized RobustnessReport report() {
        return new RobustnessReport(plan.model().name(), plan.source(),
                plan.goal().name().toLowerCase(Locale.ROOT), plan.epsilons(), List.copyOf(sweep),
                List.copyOf(minimal), minimal.isEmpty() ? null : Arrays.asList(smallestL2.clone()));
    }
}
