package dev.forger.service.inference;

/** What a {@link MicroBatcher} reports as it works; the metrics implement it, tests may too. */
public interface BatchObserver {
    BatchObserver NONE = new BatchObserver() {};

    /** One run of the network: how many items, and how long the run itself took. */
    default void batchRan(int items, long runNanos) {}

    /** How long one request waited in the queue before its batch started. */
    default void waited(long queueNanos) {}

    /** A request turned away because the queue was full. */
    default void rejected() {}
}
