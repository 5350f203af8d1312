package dev.forger.graph.autodiff;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Renames forward values whose names the gradient graph reserves ({@code logit}, {@code grad},
 * {@code target}, {@code class}), so a forward graph with, say, an internal value called
 * {@code grad} does not clash. The chosen output may keep the name {@code logit}: it is the logit.
 */
final class Renamer {
    private final Map<String, String> renames = new HashMap<>();
    private final GraphProto graph;

    Renamer(GraphProto original, Set<String> reserved, String output) {
        Set<String> names = new HashSet<>();
        original.getInitializerList().forEach(t -> names.add(t.getName()));
        original.getNodeList().forEach(n -> names.addAll(n.getOutputList()));
        for (String r : reserved) {
            if (names.contains(r) && !(r.equals(GradientGraph.LOGIT) && r.equals(output))) {
                String renamed = "forward_" + r;
                while (names.contains(renamed)) {
                    renamed = "_" + renamed;
                }
                renames.put(r, renamed);
            }
        }
        this.graph = renames.isEmpty() ? original : rewrite(original);
    }

    GraphProto graph() {
        return graph;
    }

    String apply(String name) {
        return renames.getOrDefault(name, name);
    }

    private GraphProto rewrite(GraphProto original) {
        GraphProto.Builder g = original.toBuilder().clearNode().clearInitializer();
        for (TensorProto t : original.getInitializerList()) {
            g.addInitializer(t.toBuilder().setName(apply(t.getName())));
        }
        for (NodeProto n : original.getNodeList()) {
            NodeProto.Builder nb = n.toBuilder().clearInput().clearOutput();
            n.getInputList().forEach(i -> nb.addInput(apply(i)));
            n.getOutputList().forEach(o -> nb.addOutput(apply(o)));
            g.addNode(nb);
        }
        return g.build();
    }
}
