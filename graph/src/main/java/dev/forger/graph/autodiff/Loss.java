package dev.forger.graph.autodiff;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.forger.graph.onnx.ValueInfo;
import java.util.List;

/**
 * A loss on the differentiated output z, summed over the batch and all of z's elements. Samples do
 * not interact in an inference-mode network, so the gradient of the sum with respect to sample i's
 * input is exactly the gradient of sample i's own loss: batch size never scales a gradient.
 *
 * <p>Each loss knows only its derivative dLoss/dz, which seeds the reverse pass:
 * <ul>
 *   <li>{@link #binaryCrossEntropyWithLogits(float)}: L = softplus(z) - t z, the BCE of sigmoid(z)
 *       against target t (1 = real, 0 = fake for a discriminator); dL/dz = sigmoid(z) - t.
 *       Any output shape (typically [N,1]).</li>
 *   <li>{@link #crossEntropy(int)}: logits z [N,K], L = logsumexp(z) - z_c; dL/dz = softmax(z) - onehot(c).</li>
 *   <li>{@link #logitMargin(int)}: logits z [N,K], L = max_{j != c} z_j - z_c, the margin by which
 *       class c loses (the Carlini-Wagner margin); dL/dz = onehot(runner-up) - onehot(c).</li>
 * </ul>
 * Descending any of these moves the input towards the target/class; ascending moves it away.
 * The {@code perSample} variants take the target (float [N,1], input {@value #TARGET}) or class
 * (int64 [N], input {@value #CLASS}) as an extra graph input.
 */
public final class Loss {
    /** Name of the per-sample target input of {@link #binaryCrossEntropyWithLogits()}: float [N,1]. */
    public static final String TARGET = "target";
    /** Name of the per-sample class input of {@link #crossEntropy()} and {@link #logitMargin()}: int64 [N]. */
    public static final String CLASS = "class";

    private enum Kind { BCE, CROSS_ENTROPY, LOGIT_MARGIN }

    private final Kind kind;
    private final Float target;
    private final Long classIndex;

    private Loss(Kind kind, Float target, Long classIndex) {
        this.kind = kind;
        this.target = target;
        this.classIndex = classIndex;
    }

    /** BCE with logits towards a fixed target, usually 0 (fake) or 1 (real). */
    public static Loss binaryCrossEntropyWithLogits(float target) {
        if (!(target >= 0 && target <= 1)) {
            throw new IllegalArgumentException("BCE target must be in [0, 1], was " + target);
        }
        return new Loss(Kind.BCE, target, null);
    }

    /** BCE with logits towards a per-sample target, fed as graph input {@value #TARGET} [N,1]. */
    public static Loss binaryCrossEntropyWithLogits() {
        return new Loss(Kind.BCE, null, null);
    }

    /** Softmax cross-entropy towards a fixed class. */
    public static Loss crossEntropy(int classIndex) {
        return new Loss(Kind.CROSS_ENTROPY, null, requireClass(classIndex));
    }

    /** Softmax cross-entropy towards a per-sample class, fed as graph input {@value #CLASS} [N]. */
    public static Loss crossEntropy() {
        return new Loss(Kind.CROSS_ENTROPY, null, null);
    }

    /** The logit margin by which a fixed class loses against the best other class. */
    public static Loss logitMargin(int classIndex) {
        return new Loss(Kind.LOGIT_MARGIN, null, requireClass(classIndex));
    }

    /** The logit margin of a per-sample class, fed as graph input {@value #CLASS} [N]. */
    public static Loss logitMargin() {
        return new Loss(Kind.LOGIT_MARGIN, null, null);
    }

    /** Whether the loss is on class logits [N,K] (cross-entropy, logit margin) rather than a binary logit. */
    public boolean isClassLoss() {
        return kind != Kind.BCE;
    }

    /** The extra graph inputs this loss needs (the per-sample target or class), possibly none. */
    public List<ValueInfo> extraInputs() {
        if (kind == Kind.BCE) {
            return target == null ? List.of(ValueInfo.batchedFloat(TARGET, 1)) : List.of();
        }
        return classIndex == null
                ? List.of(new ValueInfo(CLASS, DataType.INT64_VALUE, List.of(ValueInfo.Dimension.symbolic(ValueInfo.BATCH))))
                : List.of();
    }

    /** Emits dLoss/dz for the output z and returns its name. */
    String seed(Emitter e, String z) {
        return switch (kind) {
            case BCE -> e.op("Sub", "dloss_dlogit", e.op("Sigmoid", "sigmoid_logit", z),
                    target == null ? TARGET : e.floatScalar(target));
            case CROSS_ENTROPY -> {
                String softmax = e.node("Softmax", z).attr("axis", -1L).output(e.fresh("softmax_logit"));
                yield e.op("Sub", "dloss_dlogit", softmax, oneHot(e, z, classes(e)));
            }
            case LOGIT_MARGIN -> {
                String own = oneHot(e, z, classes(e));
                // the runner-up: argmax over the logits with the own class pushed far below the others
                String masked = e.op("Sub", "masked_logit", z, e.mul(own, e.floatScalar(1e30f)));
                String runnerUp = e.node("ArgMax", masked).attr("axis", -1L).attr("keepdims", 0L)
                        .output(e.fresh("runner_up"));
                yield e.op("Sub", "dloss_dlogit", oneHot(e, z, runnerUp), own);
            }
        };
    }

    private String classes(Emitter e) {
        return classIndex == null ? CLASS : e.int64s(classIndex);
    }

    /** onehot(indices) as float with z's last dimension as depth ([1,K] for a fixed class, [N,K] per sample). */
    private static String oneHot(Emitter e, String z, String indices) {
        String depth = e.node("Slice", e.shape(z), e.int64s(-1), e.int64s(Long.MAX_VALUE)).output(e.fresh("classes"));
        return e.node("OneHot", indices, depth, e.floats(new float[] {0, 1}, 2)).attr("axis", -1L)
                .output(e.fresh("onehot"));
    }

    private static long requireClass(int classIndex) {
        if (classIndex < 0) {
            throw new IllegalArgumentException("class index must not be negative, was " + classIndex);
        }
        return classIndex;
    }

    @Override
    public String toString() {
        String of = switch (kind) {
            case BCE -> target == null ? "input '" + TARGET + "'" : "target " + target;
            case CROSS_ENTROPY, LOGIT_MARGIN -> classIndex == null ? "input '" + CLASS + "'" : "class " + classIndex;
        };
        return switch (kind) {
            case BCE -> "binaryCrossEntropyWithLogits(" + of + ")";
            case CROSS_ENTROPY -> "crossEntropy(" + of + ")";
            case LOGIT_MARGIN -> "logitMargin(" + of + ")";
        };
    }
}
