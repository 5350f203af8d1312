package dev.forger.graph.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.forger.graph.onnx.Attributes;
import dev.forger.graph.onnx.Tensors;

/**
 * MaxPool routes each output's gradient to the input element it took its maximum from. The forward
 * node is re-emitted with its optional Indices output (flat indices into the whole input tensor, per
 * the ONNX spec); the backward scatters the gradient to those indices with ScatterElements'
 * {@code add} reduction (opset 16), which sums contributions where overlapping windows picked the
 * same element. Ties go to the element MaxPool reports, a valid subgradient.
 */
final class MaxPoolRule implements Rule {
    @Override
    public NodeProto forward(NodeProto node, Emitter e) {
        if (Attributes.of(node).getInt("storage_order", 0) != 0) {
            throw new UnsupportedGraphException(dev.forger.graph.onnx.Nodes.describe(node)
                    + ": storage_order=1 (column-major indices) is not supported");
        }
        if (node.getOutputCount() >= 2 && !node.getOutput(1).isEmpty()) {
            return node;
        }
        NodeProto.Builder withIndices = node.toBuilder().clearOutput().addOutput(node.getOutput(0))
                .addOutput(e.fresh("maxpool_indices"));
        return withIndices.build();
    }

    @Override
    public void backward(Step s) {
        Emitter e = s.e();
        e.requireOpset(16);
        String x = s.in(0);
        String size = e.op("Reshape", "input_size", e.op("Size", "input_size", x), e.int64s(1));
        String zeros = e.node("ConstantOfShape", size).attr("value", Tensors.floats("zero", new float[] {0f}, 1))
                .output(e.fresh("zeros"));
        String flatIndices = e.op("Reshape", "flat_indices", s.out(1), e.int64s(-1));
        String flatGrad = e.op("Reshape", "flat_grad", s.grad(), e.int64s(-1));
        String scattered = e.node("ScatterElements", zeros, flatIndices, flatGrad).attr("axis", 0L)
                .attr("reduction", "add").output(e.fresh("grad_maxpool"));
        s.give(0, e.reshapeLike(scattered, x));
    }
}
