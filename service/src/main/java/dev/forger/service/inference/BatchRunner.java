package dev.forger.service.inference;

/** Runs one batch through a network: {@code batchSize} items packed back to back in {@code input}. */
@FunctionalInterface
public interface BatchRunner {
    /** @return the outputs of the batch, {@code batchSize} items packed back to back */
    float[] run(float[] input, int batchSize) throws Exception;
}
