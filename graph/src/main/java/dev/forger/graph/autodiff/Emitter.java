package dev.forger.graph.autodiff;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.NodeBuilder;
import dev.forger.graph.onnx.Tensors;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Emits the nodes of the gradient graph into a {@link ModelBuilder}: fresh value names, shared
 * constants, and the shape plumbing several rules need (summing a broadcast gradient back to its
 * operand's shape, reshaping per-channel vectors, fitting a transposed convolution's output to the input's size).
 *
 * <p>The shape helpers work on run-time shapes ({@code Shape} and friends) because intermediate
 * shapes are rarely recorded in a model and the batch dimension is always dynamic. The extra
 * integer ops cost microseconds and ONNX Runtime folds the constant ones.
 */
final class Emitter {
    private final ModelBuilder model;
    private final Map<String, Integer> knownRanks;
    private final Map<String, long[]> constantShapes;
    private final Map<String, String> constants = new HashMap<>();
    private final Map<String, String> shapes = new HashMap<>();
    private int requiredOpset;

    Emitter(ModelBuilder model, Map<String, Integer> knownRanks, Map<String, long[]> constantShapes) {
        this.model = model;
        this.knownRanks = knownRanks;
        this.constantShapes = constantShapes;
        this.requiredOpset = model.opset();
    }

    /** Starts a node; finish with {@code .output(e.fresh("..."))} or {@link #out}. */
    NodeBuilder node(String opType, String... inputs) {
        return model.node(opType, inputs);
    }

    /** A one-output node with no attributes, named after {@code hint}. */
    String op(String opType, String hint, String... inputs) {
        return model.node(opType, inputs).output(fresh(hint));
    }

    String fresh(String hint) {
        return model.fresh(hint);
    }

    ModelBuilder model() {
        return model;
    }

    /** Asks for at least this opset in the gradient graph (e.g. 16 for ScatterElements with reduction). */
    void requireOpset(int opset) {
        requiredOpset = Math.max(requiredOpset, opset);
    }

    int requiredOpset() {
        return requiredOpset;
    }

    /** The rank of a value when the model records it (initializer, graph input, value_info), else empty. */
    OptionalInt rank(String value) {
        Integer rank = knownRanks.get(value);
        return rank == null ? OptionalInt.empty() : OptionalInt.of(rank);
    }

    /** The shape of an initializer, or null when the value is not one. */
    long[] constantShape(String value) {
        return constantShapes.get(value);
    }

    // ---- constants, shared by content ----

    String int64s(long... values) {
        return constants.computeIfAbsent("i64" + Arrays.toString(values),
                k -> addConstant(Tensors.int64Vector(fresh("const_i64"), values)));
    }

    String floatScalar(float value) {
        return constants.computeIfAbsent("f32 " + Float.floatToIntBits(value),
                k -> addConstant(Tensors.scalar(fresh("const_f32"), value)));
    }

    String floats(float[] values, long... shape) {
        return constants.computeIfAbsent("f32" + Arrays.toString(values) + Arrays.toString(shape),
                k -> addConstant(Tensors.floats(fresh("const_f32"), values, shape)));
    }

    private String addConstant(TensorProto tensor) {
        model.initializer(tensor);
        return tensor.getName();
    }

    // ---- arithmetic shortcuts ----

    String mul(String a, String b) {
        return op("Mul", "grad_mul", a, b);
    }

    String scale(String a, float factor) {
        return factor == 1f ? a : mul(a, floatScalar(factor));
    }

    String add(String a, String b) {
        return op("Add", "grad_sum", a, b);
    }

    // ---- shapes ----

    /** {@code Shape(value)}, emitted once per value. */
    String shape(String value) {
        return shapes.computeIfAbsent(value, v -> op("Shape", "shape_of_" + v, v));
    }

    /** {@code Reshape(g, Shape(like))}: a gradient back in its operand's shape. */
    String reshapeLike(String g, String like) {
        return op("Reshape", "grad_reshaped", g, shape(like));
    }

    /**
     * Sums {@code g} (shaped like a broadcast result) over the dimensions along which
     * {@code operand} was broadcast, giving a tensor of the operand's shape. Works on run-time
     * shapes: the operand's shape is left-padded with 1s to g's rank; every axis where the padded
     * shape differs from g's is summed (keepdims); a final Reshape drops the padding axes. When
     * nothing was broadcast, ReduceSum receives no axes and passes g through.
     */
    String sumToShape(String g, String operand) {
        String gShape = shape(g);
        String xShape = shape(operand);
        String rankDiff = op("Sub", "rank_diff", op("Shape", "rank", gShape), op("Shape", "rank", xShape));
        String ones = node("ConstantOfShape", rankDiff).attr("value", Tensors.int64s("one", new long[] {1}, 1))
                .output(fresh("ones"));
        String padded = node("Concat", ones, xShape).attr("axis", 0L).output(fresh("padded_shape"));
        String differs = op("Not", "broadcast_dims", op("Equal", "same_dims", padded, gShape));
        String axes = op("Reshape", "broadcast_axes", op("NonZero", "broadcast_nz", differs), int64s(-1));
        String summed = node("ReduceSum", g, axes).attr("keepdims", 1L).attr("noop_with_empty_axes", 1L)
                .output(fresh("grad_unbroadcast"));
        return op("Reshape", "grad_unbroadcast", summed, xShape);
    }

    /**
     * Reshapes a per-channel vector [C] so it broadcasts against {@code like} [N, C, d1, ..., dk]:
     * to [C, 1, ..., 1] with k ones (k from the run-time rank).
     */
    String perChannel(String vector, String like) {
        String rank = op("Shape", "rank", shape(like));
        String trailing = op("Sub", "spatial_rank", rank, int64s(2));
        String ones = node("ConstantOfShape", trailing).attr("value", Tensors.int64s("one", new long[] {1}, 1))
                .output(fresh("ones"));
        String target = node("Concat", int64s(-1), ones).attr("axis", 0L).output(fresh("channel_shape"));
        return op("Reshape", "per_channel", vector, target);
    }

    /**
     * Reshapes a per-sample value [N,1] (or [N]) to [N, 1, ..., 1] with {@code like}'s run-time rank,
     * so it scales each sample's slice of {@code like} [N, ...] whatever its shape.
     */
    String perSample(String value, String like) {
        String rank = op("Shape", "rank", shape(like));
        String trailing = op("Sub", "trailing_rank", rank, int64s(1));
        String ones = node("ConstantOfShape", trailing).attr("value", Tensors.int64s("one", new long[] {1}, 1))
                .output(fresh("ones"));
        String target = node("Concat", int64s(-1), ones).attr("axis", 0L).output(fresh("sample_shape"));
        return op("Reshape", "per_sample", value, target);
    }

    /**
     * Cuts or zero-pads the end of each of the last {@code spatialRank} dimensions of {@code g} to
     * {@code like}'s run-time size. Transposed convolutions in backward passes are emitted with no
     * end padding, so their output covers every input row some window read; rows beyond it were
     * never read (zero gradient), rows of it beyond the input were padding (cut).
     */
    String fitSpatialTo(String g, String like, int spatialRank) {
        long[] axes = new long[spatialRank];
        for (int i = 0; i < spatialRank; i++) {
            axes[i] = 2 + i;
        }
        String target = node("Slice", shape(like), int64s(2), int64s(Long.MAX_VALUE)).output(fresh("spatial"));
        String cut = node("Slice", g, int64s(new long[spatialRank]), target, int64s(axes)).output(fresh("grad_cut"));
        String actual = node("Slice", shape(cut), int64s(2), int64s(Long.MAX_VALUE)).output(fresh("spatial"));
        String missing = op("Sub", "missing_rows", target, actual);
        String zeros = int64s(new long[2 + spatialRank + 2]);
        String pads = node("Concat", zeros, missing).attr("axis", 0L).output(fresh("pads"));
        return op("Pad", "grad_fit", cut, pads);
    }

    /** The pads attribute with the end half zeroed: [b1..bk, e1..ek] -> [b1..bk, 0..0]. */
    static long[] beginPadsOnly(long[] pads) {
        long[] begin = pads.clone();
        java.util.Arrays.fill(begin, pads.length / 2, pads.length, 0L);
        return begin;
    }
}
