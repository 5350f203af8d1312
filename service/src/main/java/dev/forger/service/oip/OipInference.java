package dev.forger.service.oip;

import dev.forger.service.config.ForgerConfig;
import dev.forger.service.inference.QueueFullException;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.security.Quota;
import dev.forger.service.security.Quotas;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one protocol inference request, from REST or gRPC alike: checks the request against the model's
 * signature (input name, FP32, shape [N, ...], element count, finite values, images in [-1, 1], batch
 * limits, output names), queues it on the bundle's micro-batcher — the same one, with the same queue
 * limit, that serves {@code /api/v1} — and counts it in the same metrics. A generator's images are charged to the
 * caller's {@link Quota#GENERATED_IMAGES} budget as {@code /api/v1/generate} charges them, once the request is
 * known to be valid and before it is queued. A full queue is {@link OipException.Kind#UNAVAILABLE}, the protocol's
 * form of Forger's 503 with Retry-After; a used-up budget is a
 * {@link dev.forger.service.security.QuotaExceededException}.
 */
@ApplicationScoped
public class OipInference {
    /**
     * Image values this far outside [-1, 1] are float rounding of a tanh output and are clamped, beyond it
     * refused: the same rule as the .npy uploads of /api/v1/score, so both give the same logits.
     */
    static final float RANGE_TOLERANCE = 1e-4f;

    private final ForgerConfig config;
    private final ForgerMetrics metrics;
    private final Quotas quotas;

    public OipInference(ForgerConfig config, ForgerMetrics metrics, Quotas quotas) {
        this.config = config;
        this.metrics = metrics;
        this.quotas = quotas;
    }

    /**
     * Checks, charges and queues the request of {@code caller} ({@link Quotas#caller()}, read on the request's
     * thread); the future completes on the batcher thread.
     *
     * @throws OipException for a request the model cannot take, or UNAVAILABLE when its queue is full
     * @throws dev.forger.service.security.QuotaExceededException when a generator request is more images than
     *         the caller's budget holds now
     */
    public CompletableFuture<InferResult> infer(OipModel model, InferRequest request, Quotas.Caller caller) {
        InferRequest.Input input = singleInput(model, request.inputs());
        int count = batch(model, input);
        float[] values = values(model, input, count);
        List<InferResult.Output> template = outputs(model, request, count);
        if (model.role() == OipModel.Role.GENERATOR) {
            quotas.charge(caller, Quota.GENERATED_IMAGES, count);
        }
        CompletableFuture<float[]> run;
        try {
            run = model.run(values, count);
        } catch (QueueFullException e) {
            throw new OipException(OipException.Kind.UNAVAILABLE, e.getMessage());
        }
        return run.thenApply(out -> {
            count(model, out, count);
            InferResult.Output o = template.get(0);
            return new InferResult(model, request.id(),
                    List.of(new InferResult.Output(o.name(), o.shape(), out, o.binary())));
        });
    }

    private static InferRequest.Input singleInput(OipModel model, List<InferRequest.Input> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw OipException.badRequest("the request has no inputs; model '" + model.name() + "' takes one, '"
                    + model.inputName() + "' " + signature(model.inputItemShape()));
        }
        for (InferRequest.Input input : inputs) {
            if (!model.inputName().equals(input.name())) {
                throw OipException.badRequest("model '" + model.name() + "' has no input '" + input.name()
                        + "'; its one input is '" + model.inputName() + "' " + signature(model.inputItemShape()));
            }
        }
        if (inputs.size() > 1) {
            throw OipException.badRequest("input '" + model.inputName() + "' is given " + inputs.size()
                    + " times; send it once, with the whole batch in its first dimension");
        }
        InferRequest.Input input = inputs.get(0);
        if (input.datatype() == null || TensorDatatype.parse(input.datatype()).isEmpty()) {
            throw OipException.badRequest("input '" + input.name() + "' has datatype '" + input.datatype()
                    + "', which the protocol does not define; it must be FP32");
        }
        if (!TensorDatatype.FP32.name().equals(input.datatype())) {
            throw OipException.badRequest("input '" + input.name() + "' is " + input.datatype() + "; model '"
                    + model.name() + "' takes FP32 (convert the values to 32-bit floats)");
        }
        return input;
    }

    private int batch(OipModel model, InferRequest.Input input) {
        long[] item = model.inputItemShape();
        long[] shape = input.shape();
        boolean fits = shape != null && shape.length == item.length + 1 && shape[0] >= 1
                && Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), item);
        if (!fits) {
            throw OipException.badRequest("input '" + input.name() + "' has shape "
                    + (shape == null ? "none" : Arrays.toString(shape)) + "; model '" + model.name() + "' takes "
                    + signature(item) + " with N >= 1 " + (model.takesImages() ? "images" : "latent vectors"));
        }
        int max = model.takesImages() ? config.limits().maxImagesPerRequest() : config.limits().maxCount();
        if (shape[0] > max) {
            throw new OipException(OipException.Kind.PAYLOAD_TOO_LARGE, "input '" + input.name() + "' holds "
                    + shape[0] + " items; model '" + model.name() + "' takes at most " + max
                    + " per request (forger.limits." + (model.takesImages() ? "max-images-per-request" : "max-count")
                    + "): split the batch");
        }
        return (int) shape[0];
    }

    private static float[] values(OipModel model, InferRequest.Input input, int count) {
        int expected = count * model.inputItemSize();
        float[] values;
        if (input.otherContents() != null) {
            throw OipException.badRequest("input '" + input.name() + "' is declared FP32 but carries "
                    + input.otherContents() + "; send its values as numbers");
        }
        if (input.raw() != null) {
            long bytes = (long) expected * Float.BYTES;
            if (input.raw().remaining() != bytes) {
                throw OipException.badRequest("input '" + input.name() + "' has " + input.raw().remaining()
                        + " bytes of binary data; shape " + Arrays.toString(input.shape()) + " of FP32 needs " + bytes
                        + " (" + expected + " elements x 4 bytes, little-endian)");
            }
            values = new float[expected];
            input.raw().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        } else if (input.values() != null) {
            values = input.values();
            if (values.length != expected) {
                throw OipException.badRequest("input '" + input.name() + "' has " + values.length
                        + " values; shape " + Arrays.toString(input.shape()) + " needs " + expected);
            }
        } else {
            throw OipException.badRequest("input '" + input.name() + "' has no data: give 'data' (JSON), or"
                    + " the binary_data_size parameter and the bytes after the JSON (binary data extension)");
        }
        checkValues(model, input.name(), values);
        return values;
    }

    private static void checkValues(OipModel model, String name, float[] values) {
        int item = model.inputItemSize();
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                throw OipException.badRequest("input '" + name + "' element " + i + " (item " + i / item + ") is " + v
                        + "; every value must be finite");
            }
            if (model.takesImages() && (v < -1f || v > 1f)) {
                if (Math.abs(v) <= 1f + RANGE_TOLERANCE) {
                    values[i] = Math.copySign(1f, v);
                    continue;
                }
                throw OipException.badRequest("input '" + name + "' element " + i + " (image " + i / item + ") is "
                        + v + "; images are in [-1, 1] (x = pixel / 127.5 - 1)");
            }
        }
    }

    private static List<InferResult.Output> outputs(OipModel model, InferRequest request, int count) {
        long[] shape = OipModel.withBatch(count, model.outputItemShape());
        if (request.outputs() == null || request.outputs().isEmpty()) {
            return List.of(new InferResult.Output(model.outputName(), shape, null, request.binaryOutputs()));
        }
        InferRequest.RequestedOutput asked = null;
        for (InferRequest.RequestedOutput o : request.outputs()) {
            if (!model.outputName().equals(o.name())) {
                throw OipException.badRequest("model '" + model.name() + "' has no output '" + o.name()
                        + "'; its one output is '" + model.outputName() + "'");
            }
            asked = o;
        }
        boolean binary = asked.binary() != null ? asked.binary() : request.binaryOutputs();
        return List.of(new InferResult.Output(model.outputName(), shape, null, binary));
    }

    private void count(OipModel model, float[] out, int count) {
        String bundle = model.bundle().name();
        if (model.role() == OipModel.Role.GENERATOR) {
            metrics.imagesGenerated(bundle, count);
            return;
        }
        for (float logit : out) {
            metrics.realProbability(bundle, "upload", logit >= 0 ? 1 / (1 + Math.exp(-logit))
                    : Math.exp(logit) / (1 + Math.exp(logit))); // sigmoid without overflow
        }
        metrics.imagesScored(bundle, "upload", count);
    }

    private static String signature(long[] item) {
        StringBuilder s = new StringBuilder("FP32 [N");
        for (long d : item) {
            s.append(", ").append(d);
        }
        return s.append(']').toString();
    }
}
