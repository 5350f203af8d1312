package dev.forger.graph.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.forger.graph.onnx.Attributes;
import dev.forger.graph.onnx.Nodes;

/** The backward step of one node: its output gradient in, its input gradients out. */
final class Step {
    private final NodeProto node;
    private final Emitter emitter;
    private final String outputGradient;
    private final boolean[] wanted;
    private final String[] given;

    Step(NodeProto node, Emitter emitter, String outputGradient, boolean[] wanted) {
        this.node = node;
        this.emitter = emitter;
        this.outputGradient = outputGradient;
        this.wanted = wanted;
        this.given = new String[node.getInputCount()];
    }

    NodeProto node() {
        return node;
    }

    Emitter e() {
        return emitter;
    }

    Attributes attr() {
        return Attributes.of(node);
    }

    /** Input {@code i}'s name, or null when the optional input is absent. */
    String in(int i) {
        return i < node.getInputCount() && !node.getInput(i).isEmpty() ? node.getInput(i) : null;
    }

    String out(int i) {
        return i < node.getOutputCount() && !node.getOutput(i).isEmpty() ? node.getOutput(i) : null;
    }

    /** The gradient of the loss with respect to output 0. */
    String grad() {
        return outputGradient;
    }

    /** Whether input {@code slot} needs a gradient (it depends on the differentiated input). */
    boolean wants(int slot) {
        return slot < wanted.length && wanted[slot];
    }

    void give(int slot, String gradient) {
        if (wants(slot)) {
            given[slot] = gradient;
        }
    }

    String given(int slot) {
        return given[slot];
    }

    UnsupportedGraphException unsupported(String why) {
        return new UnsupportedGraphException(Nodes.describe(node) + ": " + why);
    }
}
