package dev.forger.graph.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;

/**
 * The gradient rule of one operator family: given the gradient of a node's output, emit ONNX nodes
 * computing the gradient of each input that needs one (the vector-Jacobian product).
 *
 * <p>Rules see only names of values, never their contents: everything they emit is computed by
 * ONNX Runtime at run time, so shapes (the batch dimension in particular) stay dynamic.
 */
interface Rule {
    /** How gradients treat one input slot of a node. */
    enum Slot {
        /** The gradient flows into this input. */
        DIFFERENTIABLE,
        /** A weight or hyper-parameter: must not depend on the differentiated input. */
        CONSTANT,
        /** Integer data such as a shape: may depend on the input, its gradient is zero. */
        DISCRETE
    }

    /** The role of input {@code index}; by default the first input is the data, the rest are weights. */
    default Slot slot(NodeProto node, int index) {
        return index == 0 ? Slot.DIFFERENTIABLE : Slot.CONSTANT;
    }

    /**
     * The forward node as it should be emitted into the gradient graph. Rules that need another
     * output of the forward computation (MaxPool's indices) add it here; the default keeps the node.
     */
    default NodeProto forward(NodeProto node, Emitter emitter) {
        return node;
    }

    /** Emits the backward nodes of {@code step.node()} and hands the input gradients to {@link Step#give}. */
    void backward(Step step);
}
