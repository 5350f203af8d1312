package dev.forger.service.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX Runtime session on a graph with several named inputs and outputs (the composed graphs of
 * {@code graph.compose.AttackGraphs}: z, class, class_weight, realism in; image, logits, logit, grad out),
 * shaped as a {@link BatchRunner} so that a {@link MicroBatcher} can coalesce concurrent requests.
 *
 * <p>An item is its inputs' values back to back in the order given ({@code [z | class | weight |
 * realism]}), and the answer the chosen outputs' values back to back ({@code [logits | logit | grad]}):
 * the batcher moves opaque float items, so everything one sample needs travels together and is split
 * into tensors here, right before the run. An int64 input (a class index) travels as a float holding
 * a whole number. Outputs the caller does not ask for are not computed by ORT.
 */
public final class PackedGraphRunner implements BatchRunner, AutoCloseable {
    /**
     * One input or output: its name and one item's shape without the batch dimension ({@code []} for a
     * class index of shape [N]).
     */
    public record Slot(String name, long[] itemShape, boolean int64) {
        public static Slot floats(String name, long... itemShape) {
            return new Slot(name, itemShape, false);
        }

        public static Slot int64(String name) {
            return new Slot(name, new long[0], true);
        }

        /** Values per item. */
        public int size() {
            return (int) Arrays.stream(itemShape).reduce(1, (a, b) -> a * b);
        }

        long[] batched(int batch) {
            long[] shape = new long[itemShape.length + 1];
            shape[0] = batch;
            System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
            return shape;
        }

        @Override
        public String toString() {
            return name + Arrays.toString(itemShape) + (int64 ? " int64" : "");
        }
    }

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final List<Slot> inputs;
    private final List<Slot> outputs;
    private final Set<String> outputNames;
    private final int inputSize;
    private final int outputSize;

    private PackedGraphRunner(OrtEnvironment environment, OrtSession session, List<Slot> inputs, List<Slot> outputs) {
        this.environment = environment;
        this.session = session;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.outputNames = new LinkedHashSet<>(outputs.stream().map(Slot::name).toList());
        this.inputSize = inputs.stream().mapToInt(Slot::size).sum();
        this.outputSize = outputs.stream().mapToInt(Slot::size).sum();
    }

    /**
     * Opens a serialised graph and checks that it has exactly the inputs given (names, element types and
     * fixed dimensions) and at least the outputs asked for.
     *
     * @param what names the graph in errors, e.g. {@code the latent gradient graph}
     * @throws IllegalArgumentException naming the graph and what does not match
     */
    public static PackedGraphRunner open(OrtEnvironment environment, byte[] model, String what, List<Slot> inputs,
                                         List<Slot> outputs, int intraOpThreads) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = environment.createSession(model, options);
            try {
                check(what, session, inputs, outputs);
                return new PackedGraphRunner(environment, session, inputs, outputs);
            } catch (RuntimeException | OrtException e) {
                session.close();
                throw e;
            }
        }
    }

    private static void check(String what, OrtSession session, List<Slot> inputs, List<Slot> outputs) throws OrtException {
        Map<String, NodeInfo> available = session.getInputInfo();
        Set<String> wanted = new LinkedHashSet<>(inputs.stream().map(Slot::name).toList());
        if (!available.keySet().equals(wanted)) {
            throw new IllegalArgumentException(what + " has inputs " + available.keySet() + ", expected " + wanted);
        }
        for (Slot slot : inputs) {
            if (!(available.get(slot.name()).getInfo() instanceof TensorInfo tensor)
                    || tensor.type != (slot.int64() ? OnnxJavaType.INT64 : OnnxJavaType.FLOAT)) {
                throw new IllegalArgumentException(what + ": input '" + slot.name() + "' must be a "
                        + (slot.int64() ? "int64" : "float") + " tensor, is " + available.get(slot.name()).getInfo());
            }
            long[] shape = tensor.getShape();
            boolean ok = shape.length == slot.itemShape().length + 1;
            for (int i = 0; ok && i < slot.itemShape().length; i++) {
                ok = shape[i + 1] < 0 || shape[i + 1] == slot.itemShape()[i];
            }
            if (!ok) {
                throw new IllegalArgumentException(what + ": input '" + slot.name() + "' has shape "
                        + Arrays.toString(shape) + ", expected [N" + (slot.itemShape().length == 0 ? "" : ", "
                        + Arrays.toString(slot.itemShape()).replaceAll("[\\[\\]]", "")) + "]");
            }
        }
        for (Slot slot : outputs) {
            if (!session.getOutputNames().contains(slot.name())) {
                throw new IllegalArgumentException(what + " has no output '" + slot.name() + "' (its outputs: "
                        + session.getOutputNames() + ")");
            }
        }
    }

    /** Floats in one input item. */
    public int inputSize() {
        return inputSize;
    }

    /** Floats in one output item. */
    public int outputSize() {
        return outputSize;
    }

    @Override
    public float[] run(float[] items, int batchSize) throws OrtException {
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            int offset = 0;
            for (Slot slot : inputs) {
                feed.put(slot.name(), tensor(slot, items, offset, batchSize));
                offset += slot.size();
            }
            try (OrtSession.Result result = session.run(feed, outputNames)) {
                float[] out = new float[batchSize * outputSize];
                int at = 0;
                for (Slot slot : outputs) {
                    FloatBuffer values = ((OnnxTensor) result.get(slot.name()).orElseThrow()).getFloatBuffer();
                    int size = slot.size();
                    if (values.remaining() != batchSize * size) {
                        throw new IllegalStateException("output '" + slot.name() + "' has " + values.remaining()
                                + " values for " + batchSize + " items of " + size);
                    }
                    for (int i = 0; i < batchSize; i++) {
                        values.get(out, i * outputSize + at, size);
                    }
                    at += size;
                }
                return out;
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /** The slot's values of every item, cut out of the packed items at {@code offset} within each. */
    private OnnxTensor tensor(Slot slot, float[] items, int offset, int batch) throws OrtException {
        int size = slot.size();
        if (slot.int64()) {
            long[] values = new long[batch * size];
            for (int i = 0; i < batch; i++) {
                for (int k = 0; k < size; k++) {
                    values[i * size + k] = (long) items[i * inputSize + offset + k];
                }
            }
            return OnnxTensor.createTensor(environment, LongBuffer.wrap(values), slot.batched(batch));
        }
        float[] values = new float[batch * size];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(items, i * inputSize + offset, values, i * size, size);
        }
        return OnnxTensor.createTensor(environment, FloatBuffer.wrap(values), slot.batched(batch));
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
