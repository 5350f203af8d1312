package dev.forger.service.inference;

/** Runs one batch through a network: {@code batchSize} items packed back to back in {@code input}. */
@FunctionalInterface
public interface BatchRunner {
    /** @return the outputs of the batch, {@code batchSize} items packed back to back */
    float[] run(float[] input, int batchSize) throws Exception;

    /**
     * This runner with every output clipped to [low, high]: a generator's tanh is documented as [-1, 1],
     * but float32 arithmetic in ONNX Runtime can land one ulp outside (-1.0000001 was seen).
     */
    default BatchRunner clippedTo(float low, float high) {
        return (input, batchSize) -> {
            float[] out = run(input, batchSize);
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.min(high, Math.max(low, out[i])); // NaN stays NaN: it is a fault, not a range
            }
            return out;
        };
    }
}
