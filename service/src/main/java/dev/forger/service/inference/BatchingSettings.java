package dev.forger.service.inference;

import java.time.Duration;

/**
 * How a {@link MicroBatcher} coalesces requests.
 *
 * @param maxBatchSize  most items in one network run
 * @param maxDelay      how long the oldest waiting request may wait for company
 * @param queueCapacity most chunks (of up to maxBatchSize items) waiting; more are refused
 */
public record BatchingSettings(int maxBatchSize, Duration maxDelay, int queueCapacity) {
    public BatchingSettings {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max-batch-size must be at least 1, was " + maxBatchSize);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("max-delay must not be negative, was " + maxDelay);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue-capacity must be at least 1, was " + queueCapacity);
        }
    }
}
