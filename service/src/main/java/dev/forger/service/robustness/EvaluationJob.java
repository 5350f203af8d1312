package dev.forger.service.robustness;

import java.time.Instant;
import java.util.concurrent.Future;

/** One evaluation running in the background, as GET /evaluate/{id} shows it. */
public final class EvaluationJob {
    public enum State { QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

        boolean finished() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    private final String id;
    private final Evaluation evaluation;
    private final Instant created;
    private volatile State state = State.QUEUED;
    private volatile Instant started;
    private volatile Instant finished;
    private volatile String error;
    private volatile Future<?> future;

    EvaluationJob(String id, Evaluation evaluation, Instant created) {
        this.id = id;
        this.evaluation = evaluation;
        this.created = created;
    }

    public String id() {
        return id;
    }

    public State state() {
        return state;
    }

    public Evaluation evaluation() {
        return evaluation;
    }

    public Instant created() {
        return created;
    }

    public Instant started() {
        return started;
    }

    public Instant finished() {
        return finished;
    }

    /** Why the job failed; null unless FAILED. */
    public String error() {
        return error;
    }

    void attach(Future<?> running) {
        this.future = running;
    }

    synchronized void start(Instant now) {
        if (state == State.QUEUED) {
            state = State.RUNNING;
            started = now;
        }
    }

    synchronized void finish(State end, String why, Instant now) {
        if (!state.finished()) {
            state = end;
            error = why;
            finished = now;
        }
    }

    /** Stops a queued or running job; true if it was still going. */
    synchronized boolean cancel(Instant now) {
        if (state.finished()) {
            return false;
        }
        finish(State.CANCELLED, null, now);
        Future<?> running = future;
        if (running != null) {
            running.cancel(true); // interrupts the attack loop, which checks once per step
        }
        return true;
    }
}
