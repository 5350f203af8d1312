package dev.forger.graph.compose;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.forger.graph.onnx.Nodes;
import java.util.Set;
import java.util.TreeSet;

/**
 * The opset of a composite model. One graph imports one version of the default operator set, so two
 * models of different opsets can only be joined by raising the older one. ONNX's own
 * {@code onnx.compose} refuses that outright; Forger raises a model when every operator it uses
 * behaves the same at the newer opset, which holds for the operators DCGAN-like nets and their
 * exporters use, and refuses naming the operators otherwise.
 */
final class Opsets {
    /**
     * Operators whose inference behaviour did not change from opset 13 on: their later versions
     * (up to 23 at the time of writing) only admitted more element types or added attributes and
     * optional inputs whose defaults keep the old behaviour (Reshape-14's allowzero=0, Shape-15's
     * start/end, Pad-18's axes, AveragePool-19's dilations). Not here, for example: the Reduce*
     * family except ReduceSum (axes moved from attribute to input at 18), GroupNormalization (21),
     * GridSample (20).
     */
    static final Set<String> STABLE_SINCE_13 = Set.of(
            "Conv", "ConvTranspose", "BatchNormalization", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax",
            "LogSoftmax", "Identity", "Dropout", "Add", "Sub", "Mul", "Div", "Neg", "Gemm", "MatMul", "Reshape",
            "Flatten", "Squeeze", "Unsqueeze", "Transpose", "MaxPool", "AveragePool", "GlobalAveragePool",
            "Constant", "Shape", "Gather", "Concat", "Cast", "Slice", "ConstantOfShape", "Pad", "Clip", "Exp",
            "Log", "Sqrt", "Elu", "Where", "Equal", "Not");
    static final int MIN_MERGEABLE = 13;

    private Opsets() {}

    /**
     * The opset both models can run at.
     *
     * @throws CompositionException when they use different opsets and the older one cannot be raised
     */
    static int merge(Part first, Part second) {
        requireDefaultDomain(first);
        requireDefaultDomain(second);
        int a = first.model().opset();
        int b = second.model().opset();
        if (a == b) {
            return a;
        }
        Part older = a < b ? first : second;
        int newer = Math.max(a, b);
        if (older.model().opset() < MIN_MERGEABLE) {
            throw new CompositionException(older.name() + " uses opset " + older.model().opset() + " and "
                    + (older == first ? second : first).name() + " opset " + newer + "; models of different opsets are "
                    + "joined only from opset " + MIN_MERGEABLE + " on: export both with the same opset");
        }
        Set<String> changed = new TreeSet<>();
        for (NodeProto n : older.model().nodes()) {
            if (!STABLE_SINCE_13.contains(n.getOpType())) {
                changed.add(n.getOpType());
            }
        }
        if (!changed.isEmpty()) {
            throw new CompositionException(older.name() + " uses opset " + older.model().opset() + " and "
                    + (older == first ? second : first).name() + " opset " + newer + "; raising " + older.name()
                    + " to opset " + newer + " is not known to be safe for " + changed
                    + ": export both with the same opset");
        }
        return newer;
    }

    private static void requireDefaultDomain(Part part) {
        for (NodeProto n : part.model().nodes()) {
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw new CompositionException(part.name() + ": " + Nodes.describe(n) + " is from operator domain '"
                        + n.getDomain() + "'; only the default ONNX domain can be composed");
            }
        }
    }
}
