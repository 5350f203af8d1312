package dev.forger.graph.compose;

import dev.forger.graph.onnx.OnnxModel;

/**
 * One model of a composition: its name (for messages and, as {@code name + "/"}, the prefix of its
 * internal value names) and the model. A null prefix keeps the model's names as they are.
 */
record Part(String name, OnnxModel model, String prefix) {
    static Part named(String name, OnnxModel model) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a model in a composition needs a name");
        }
        return new Part(name, model, name + "/");
    }

    static Part keepingNames(OnnxModel model) {
        String name = model.graph().getName().isEmpty() ? "composite" : model.graph().getName();
        return new Part(name, model, null);
    }

    /** The name a value of this model has in the composite (interface names are never prefixed). */
    String internal(String value) {
        return prefix == null ? value : prefix + value;
    }
}
