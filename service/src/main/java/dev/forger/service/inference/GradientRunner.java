package dev.forger.service.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX Runtime session on a discriminator's gradient graph (inputs: the image [N,C,H,W] and
 * {@value #TARGET} [N,1]; outputs {@value #LOGIT} [N,1] and {@value #GRAD} [N,C,H,W]), shaped as a
 * {@link BatchRunner} so that a {@link MicroBatcher} can coalesce the steps of concurrent attacks.
 *
 * <p>One item is {@code [image | label]} ({@code C*H*W + 1} floats) in, {@code [logit | grad]}
 * ({@code 1 + C*H*W} floats) out: the batcher moves opaque items, so image and target travel
 * together and are split here, right before the run.
 */
public final class GradientRunner implements BatchRunner, AutoCloseable {
    /** The per-sample BCE target input (1 = real, 0 = fake). */
    public static final String TARGET = "target";
    public static final String LOGIT = "logit";
    public static final String GRAD = "grad";

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String imageName;
    private final long[] imageShape;
    private final int imageSize;

    private GradientRunner(OrtEnvironment environment, OrtSession session, String imageName, long[] imageShape) {
        this.environment = environment;
        this.session = session;
        this.imageName = imageName;
        this.imageShape = imageShape;
        this.imageSize = (int) (imageShape[0] * imageShape[1] * imageShape[2]);
    }

    /**
     * Opens a serialised gradient graph (a bundle's file read into memory, or one derived at load time).
     *
     * @param what           names the graph in errors, e.g. {@code discriminator-grad.onnx}
     * @param itemImageShape C, H, W
     * @throws IllegalArgumentException naming the graph and what it lacks
     */
    public static GradientRunner open(OrtEnvironment environment, byte[] model, String what, long[] itemImageShape,
                                      int intraOpThreads) throws OrtException {
        if (itemImageShape.length != 3) {
            throw new IllegalArgumentException("image shape must be C, H, W, was " + Arrays.toString(itemImageShape));
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = environment.createSession(model, options);
            try {
                String image = check(what, session, itemImageShape);
                return new GradientRunner(environment, session, image, itemImageShape.clone());
            } catch (RuntimeException | OrtException e) {
                session.close();
                throw e;
            }
        }
    }

    /** The image input is whichever input is not the target: a derived graph keeps the discriminator's name. */
    private static String check(String what, OrtSession session, long[] itemShape) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Set<String> outputs = session.getOutputNames();
        if (inputs.size() != 2 || !inputs.containsKey(TARGET) || !outputs.containsAll(Set.of(LOGIT, GRAD))) {
            throw new IllegalArgumentException(what + " is not a gradient graph: it needs inputs <image> and '"
                    + TARGET + "' and outputs '" + LOGIT + "' and '" + GRAD + "' (it has inputs " + inputs.keySet()
                    + ", outputs " + outputs + ")");
        }
        String image = inputs.keySet().stream().filter(n -> !n.equals(TARGET)).findFirst().orElseThrow();
        if (!(inputs.get(image).getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT
                || tensor.getShape().length != 4) {
            throw new IllegalArgumentException(what + ": input '" + image + "' must be a float tensor [N, C, H, W], is "
                    + inputs.get(image).getInfo());
        }
        long[] shape = tensor.getShape();
        for (int i = 0; i < 3; i++) {
            if (shape[i + 1] >= 0 && shape[i + 1] != itemShape[i]) {
                throw new IllegalArgumentException(what + ": input '" + image + "' has shape " + Arrays.toString(shape)
                        + " but the manifest implies [N, " + itemShape[0] + ", " + itemShape[1] + ", " + itemShape[2] + "]");
            }
        }
        return image;
    }

    /** Floats in one input item: the image and its label. */
    public int inputSize() {
        return imageSize + 1;
    }

    /** Floats in one output item: the logit and the gradient. */
    public int outputSize() {
        return imageSize + 1;
    }

    @Override
    public float[] run(float[] items, int batchSize) throws OrtException {
        float[] images = new float[batchSize * imageSize];
        float[] targets = new float[batchSize];
        for (int i = 0, in = 0; i < batchSize; i++, in += imageSize + 1) {
            System.arraycopy(items, in, images, i * imageSize, imageSize);
            targets[i] = items[in + imageSize];
        }
        long[] shape = {batchSize, imageShape[0], imageShape[1], imageShape[2]};
        try (OnnxTensor image = OnnxTensor.createTensor(environment, FloatBuffer.wrap(images), shape);
             OnnxTensor target = OnnxTensor.createTensor(environment, FloatBuffer.wrap(targets), new long[] {batchSize, 1});
             OrtSession.Result result = session.run(Map.of(imageName, image, TARGET, target), Set.of(LOGIT, GRAD))) {
            FloatBuffer logits = ((OnnxTensor) result.get(LOGIT).orElseThrow()).getFloatBuffer();
            FloatBuffer grads = ((OnnxTensor) result.get(GRAD).orElseThrow()).getFloatBuffer();
            if (logits.remaining() != batchSize || grads.remaining() != batchSize * imageSize) {
                throw new IllegalStateException("gradient graph returned " + logits.remaining() + " logits and "
                        + grads.remaining() + " gradient floats for " + batchSize + " images");
            }
            float[] out = new float[batchSize * (imageSize + 1)];
            for (int i = 0, o = 0; i < batchSize; i++, o += imageSize + 1) {
                out[o] = logits.get(i);
                grads.get(out, o + 1, imageSize);
            }
            return out;
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
