package dev.forger.service.inference;

/** A queue or a pool of slots is full: the client should retry a little later (HTTP 503 + Retry-After). */
public class QueueFullException extends RuntimeException {
    /** A queue of requests waiting: "the generator queue is full (256 requests waiting); retry shortly". */
    public QueueFullException(String queue, int capacity) {
        this("the " + queue + " queue is full (" + capacity + " requests waiting); retry shortly");
    }

    /** Anything else that is full, in the caller's own words (which must say what to do). */
    public QueueFullException(String detail) {
        super(detail);
    }
}
