package dev.forger.service.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX Runtime session with a single float input and a single float output, both batched on
 * their first dimension. Thread-safe (ORT sessions are), but in the service only its batcher's
 * thread calls {@link #run}.
 */
public final class OnnxNetwork implements BatchRunner, AutoCloseable {
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final long[] itemInputShape;
    private final int inputSize;
    private final int outputSize;

    private OnnxNetwork(OrtEnvironment environment, OrtSession session, String inputName, String outputName,
                        long[] itemInputShape, int outputSize) {
        this.environment = environment;
        this.session = session;
        this.inputName = inputName;
        this.outputName = outputName;
        this.itemInputShape = itemInputShape;
        this.inputSize = (int) Arrays.stream(itemInputShape).reduce(1, (a, b) -> a * b);
        this.outputSize = outputSize;
    }

    /**
     * Opens {@code file} and checks it against what the bundle promises.
     *
     * @param inputName      the manifest's input name, or null for the model's first input
     * @param outputName     the manifest's output name, or null for the model's first output
     * @param itemInputShape one input item's shape without the batch dimension, e.g. [100] or [1, 32, 32]
     * @param outputSize     floats in one output item (1 for a logit, C*H*W for an image)
     * @throws IllegalArgumentException naming the file and what does not match
     */
    public static OnnxNetwork open(OrtEnvironment environment, Path file, String inputName, String outputName,
                                   long[] itemInputShape, int outputSize, int intraOpThreads) throws OrtException {
        return open(environment, file.getFileName(), null, file, inputName, outputName, itemInputShape, outputSize,
                intraOpThreads);
    }

    /**
     * As {@link #open(OrtEnvironment, Path, String, String, long[], int, int)} for a model in memory (one the
     * registry built from a bundle's file, e.g. a generator behind a reshape adapter).
     *
     * @param what names the model in errors
     */
    public static OnnxNetwork open(OrtEnvironment environment, byte[] model, String what, String inputName,
                                   String outputName, long[] itemInputShape, int outputSize, int intraOpThreads)
            throws OrtException {
        return open(environment, Path.of(what), model, null, inputName, outputName, itemInputShape, outputSize,
                intraOpThreads);
    }

    private static OnnxNetwork open(OrtEnvironment environment, Path name, byte[] model, Path file, String inputName,
                                    String outputName, long[] itemInputShape, int outputSize, int intraOpThreads)
            throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = model != null ? environment.createSession(model, options)
                    : environment.createSession(file.toString(), options);
            try {
                String input = pick(name, "input", inputName, session.getInputInfo());
                String output = pick(name, "output", outputName, session.getOutputInfo());
                checkShape(name, input, session.getInputInfo().get(input), itemInputShape);
                return new OnnxNetwork(environment, session, input, output, itemInputShape.clone(), outputSize);
            } catch (RuntimeException | OrtException e) {
                session.close();
                throw e;
            }
        }
    }

    private static String pick(Path file, String role, String wanted, Map<String, NodeInfo> available) {
        if (wanted == null) {
            return available.keySet().iterator().next();
        }
        if (!available.containsKey(wanted)) {
            throw new IllegalArgumentException(file.getFileName() + " has no " + role + " named '" + wanted
                    + "' (its " + role + "s: " + available.keySet() + ")");
        }
        return wanted;
    }

    private static void checkShape(Path file, String input, NodeInfo info, long[] itemShape) {
        if (!(info.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException(file.getFileName() + ": input '" + input
                    + "' must be a float tensor, is " + info.getInfo());
        }
        long[] shape = tensor.getShape();
        boolean ok = shape.length == itemShape.length + 1;
        for (int i = 0; ok && i < itemShape.length; i++) {
            ok = shape[i + 1] < 0 || shape[i + 1] == itemShape[i]; // symbolic dimensions are accepted
        }
        if (!ok) {
            throw new IllegalArgumentException(file.getFileName() + ": input '" + input + "' has shape "
                    + Arrays.toString(shape) + " but the manifest implies [N, "
                    + Arrays.toString(itemShape).replaceAll("[\\[\\]]", "") + "]");
        }
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return outputSize;
    }

    public String inputName() {
        return inputName;
    }

    public String outputName() {
        return outputName;
    }

    @Override
    public float[] run(float[] input, int batchSize) throws OrtException {
        long[] shape = new long[itemInputShape.length + 1];
        shape[0] = batchSize;
        System.arraycopy(itemInputShape, 0, shape, 1, itemInputShape.length);
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input), shape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor), Set.of(outputName))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            return values;
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
