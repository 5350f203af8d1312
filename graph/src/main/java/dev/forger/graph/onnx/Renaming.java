package dev.forger.graph.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Renames values of an ONNX graph consistently: graph inputs and outputs, initializers, node inputs
 * and outputs, value infos. Used to give a model's inputs and outputs the names a caller expects
 * ({@link #renameInterface}) and, by the composition and the differentiation, to move values out of
 * each other's way.
 *
 * <p>Values inside subgraphs (the bodies of If, Loop, Scan) may refer to outer values by name; they
 * are not rewritten, so a graph holding subgraphs is refused rather than silently broken.
 */
public final class Renaming {
    private Renaming() {}

    /**
     * Every value name {@code n} becomes {@code names.apply(n)}; node names are left alone. Empty
     * names (absent optional inputs or outputs) stay empty.
     *
     * @throws IllegalArgumentException when the graph holds subgraphs
     */
    public static GraphProto apply(GraphProto graph, UnaryOperator<String> names) {
        requireNoSubgraphs(graph);
        UnaryOperator<String> rename = n -> n.isEmpty() ? n : names.apply(n);
        GraphProto.Builder g = graph.toBuilder().clearInput().clearOutput().clearInitializer().clearNode()
                .clearValueInfo();
        graph.getInputList().forEach(v -> g.addInput(renamed(v, rename)));
        graph.getOutputList().forEach(v -> g.addOutput(renamed(v, rename)));
        graph.getValueInfoList().forEach(v -> g.addValueInfo(renamed(v, rename)));
        for (TensorProto t : graph.getInitializerList()) {
            g.addInitializer(t.toBuilder().setName(rename.apply(t.getName())));
        }
        for (NodeProto n : graph.getNodeList()) {
            NodeProto.Builder nb = n.toBuilder().clearInput().clearOutput();
            n.getInputList().forEach(i -> nb.addInput(rename.apply(i)));
            n.getOutputList().forEach(o -> nb.addOutput(rename.apply(o)));
            g.addNode(nb);
        }
        return g.build();
    }

    /** {@link #apply(GraphProto, UnaryOperator)} with a map; names not in it stay. */
    public static GraphProto apply(GraphProto graph, Map<String, String> renames) {
        return renames.isEmpty() ? graph : apply(graph, n -> renames.getOrDefault(n, n));
    }

    /**
     * Gives graph inputs and outputs new names ({@code renames}: old name to new name). A value
     * inside the graph that already carries one of the new names is moved to a fresh name first,
     * so it cannot clash; an input or output that carries one (and is not renamed itself) is an
     * error, since renaming it would change what callers feed or read.
     *
     * @throws IllegalArgumentException naming the value when an old name is not an input or output
     *                                  of the model, or a new name is taken by another input or output
     */
    public static OnnxModel renameInterface(OnnxModel model, Map<String, String> renames) {
        GraphProto graph = model.graph();
        Set<String> interfaceNames = interfaceNames(model);
        for (String old : renames.keySet()) {
            if (!interfaceNames.contains(old)) {
                throw new IllegalArgumentException("model has no input or output '" + old + "'; its inputs are "
                        + names(model.inputs()) + " and its outputs " + names(model.outputs()));
            }
        }
        long distinct = renames.values().stream().distinct().count();
        if (distinct < renames.size()) {
            throw new IllegalArgumentException("two inputs or outputs would get the same name: " + renames);
        }
        Set<String> defined = definedNames(graph);
        Map<String, String> all = new HashMap<>(renames);
        for (String target : new LinkedHashSet<>(renames.values())) {
            if (renames.containsKey(target) || !defined.contains(target) && !interfaceNames.contains(target)) {
                continue;
            }
            if (interfaceNames.contains(target)) {
                throw new IllegalArgumentException("cannot rename to '" + target + "': the model already has an input "
                        + "or output of that name; rename it too");
            }
            all.put(target, fresh(target, defined, renames.values()));
        }
        return OnnxModel.of(model.proto().toBuilder().setGraph(apply(graph, all)).build());
    }

    /** Names of graph inputs (weights excluded) and graph outputs. */
    public static Set<String> interfaceNames(OnnxModel model) {
        Set<String> names = new LinkedHashSet<>();
        model.inputs().forEach(v -> names.add(v.name()));
        model.outputs().forEach(v -> names.add(v.name()));
        return names;
    }

    /** Every value the graph defines: inputs, initializers and node outputs. */
    public static Set<String> definedNames(GraphProto graph) {
        Set<String> names = new LinkedHashSet<>();
        graph.getInputList().forEach(v -> names.add(v.getName()));
        graph.getInitializerList().forEach(t -> names.add(t.getName()));
        graph.getNodeList().forEach(n -> n.getOutputList().stream().filter(o -> !o.isEmpty()).forEach(names::add));
        return names;
    }

    /** A model with the same graph under a new {@link ModelProto}: a convenience for {@link #apply}. */
    public static OnnxModel withGraph(OnnxModel model, GraphProto graph) {
        return OnnxModel.of(model.proto().toBuilder().setGraph(graph).build());
    }

    private static String fresh(String name, Set<String> taken, Collection<String> alsoTaken) {
        String candidate = "renamed_" + name;
        int i = 1;
        while (taken.contains(candidate) || alsoTaken.contains(candidate)) {
            candidate = "renamed_" + name + "_" + i++;
        }
        return candidate;
    }

    private static void requireNoSubgraphs(GraphProto graph) {
        for (NodeProto n : graph.getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG() || a.getGraphsCount() > 0) {
                    throw new IllegalArgumentException(Nodes.describe(n) + " holds a subgraph ('" + a.getName()
                            + "'); renaming values inside subgraphs is not supported");
                }
            }
        }
    }

    private static ValueInfoProto renamed(ValueInfoProto v, UnaryOperator<String> rename) {
        return v.toBuilder().setName(rename.apply(v.getName())).build();
    }

    private static List<String> names(List<ValueInfo> values) {
        return values.stream().map(ValueInfo::name).toList();
    }
}
