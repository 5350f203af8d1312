package dev.forger.graph.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;

/** Small helpers for describing nodes in error messages. */
public final class Nodes {
    private Nodes() {}

    /** "node 'conv1' (Conv)", or "Conv node producing 'y'" when the node has no name. */
    public static String describe(NodeProto node) {
        if (!node.getName().isEmpty()) {
            return "node '" + node.getName() + "' (" + node.getOpType() + ")";
        }
        return node.getOpType() + " node producing '" + (node.getOutputCount() > 0 ? node.getOutput(0) : "?") + "'";
    }
}
