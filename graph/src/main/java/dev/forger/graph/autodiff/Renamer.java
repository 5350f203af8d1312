package dev.forger.graph.autodiff;

import ai.onnx.proto.OnnxMl.GraphProto;
import dev.forger.graph.onnx.Renaming;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Renames forward values whose names the gradient graph reserves for its own inputs and outputs
 * ({@code grad}, {@code target}, {@code class}, weight inputs, output names), so a forward graph
 * with, say, an internal value called {@code grad} does not clash. A value that the gradient graph
 * outputs under its own name (a forward output already called {@code logit}) keeps it.
 */
final class Renamer {
    private final Map<String, String> renames = new HashMap<>();
    private final GraphProto graph;

    /**
     * @param reserved names the gradient graph defines itself
     * @param keep     reserved names that may stay: the values output under exactly that name
     */
    Renamer(GraphProto original, Set<String> reserved, Set<String> keep) {
        Set<String> names = Renaming.definedNames(original);
        for (String r : reserved) {
            if (names.contains(r) && !keep.contains(r)) {
                String renamed = "forward_" + r;
                while (names.contains(renamed)) {
                    renamed = "_" + renamed;
                }
                renames.put(r, renamed);
            }
        }
        this.graph = Renaming.apply(original, renames);
    }

    GraphProto graph() {
        return graph;
    }

    String apply(String name) {
        return renames.getOrDefault(name, name);
    }
}
