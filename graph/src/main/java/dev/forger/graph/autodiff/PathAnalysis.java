package dev.forger.graph.autodiff;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.forger.graph.onnx.Nodes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which nodes the gradient graph needs and which values need a gradient.
 *
 * <ul>
 *   <li>{@link #order}: the ancestors of the outputs, topologically sorted (the pruned forward pass).</li>
 *   <li>{@link #active}: values that depend on the input.</li>
 *   <li>{@link #needsGradient}: active values through which the output depends differentiably on
 *       the input; the backward pass visits exactly their producers. Integer side paths (a
 *       {@code Shape -> Gather -> Concat} feeding a Reshape's shape) are active but need no
 *       gradient, so they need no rule.</li>
 * </ul>
 * Every node producing a value that needs a gradient must have a {@link Rule}; a weight input that
 * depends on the input is refused, since the rules treat weights as constants.
 */
final class PathAnalysis {
    final List<NodeProto> order;
    final Set<String> active;
    final Set<String> needsGradient;

    private PathAnalysis(List<NodeProto> order, Set<String> active, Set<String> needsGradient) {
        this.order = order;
        this.active = active;
        this.needsGradient = needsGradient;
    }

    /**
     * @param lossOutputs values a loss is put on: each must be computed from the input
     * @param keptValues  further values the derived graph outputs (forward only): node outputs or the input
     */
    static PathAnalysis of(GraphProto graph, String input, List<String> lossOutputs, List<String> keptValues,
            Map<String, Rule> rules) {
        Set<String> available = new HashSet<>();
        graph.getInputList().forEach(i -> available.add(i.getName()));
        graph.getInitializerList().forEach(t -> available.add(t.getName()));
        Map<String, NodeProto> producer = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            for (String o : n.getOutputList()) {
                if (!o.isEmpty()) {
                    producer.put(o, n);
                }
            }
        }
        for (String output : lossOutputs) {
            if (!producer.containsKey(output)) {
                throw new UnsupportedGraphException(available.contains(output)
                        ? "output '" + output + "' is a graph input or initializer, not computed from '" + input + "'"
                        : "no node produces output '" + output + "'");
            }
        }
        List<String> roots = new ArrayList<>(lossOutputs);
        for (String kept : keptValues) {
            if (producer.containsKey(kept)) {
                roots.add(kept);
            } else if (!kept.equals(input)) {
                throw new UnsupportedGraphException("no node produces output '" + kept + "'");
            }
        }
        List<NodeProto> order = topologicalAncestors(roots, producer, available);

        Set<String> active = new HashSet<>(Set.of(input));
        for (NodeProto n : order) {
            if (n.getInputList().stream().anyMatch(active::contains)) {
                n.getOutputList().stream().filter(o -> !o.isEmpty()).forEach(active::add);
            }
        }
        for (String output : lossOutputs) {
            if (!active.contains(output)) {
                throw new UnsupportedGraphException("output '" + output + "' does not depend on input '" + input + "'");
            }
        }

        Set<String> needsGradient = new LinkedHashSet<>(lossOutputs);
        String outputs = lossOutputs.size() == 1 ? "output '" + lossOutputs.get(0) + "'"
                : "outputs " + lossOutputs.stream().map(o -> "'" + o + "'").toList();
        for (int k = order.size() - 1; k >= 0; k--) {
            NodeProto n = order.get(k);
            if (n.getOutputList().stream().noneMatch(needsGradient::contains)) {
                continue;
            }
            Rule rule = rules.get(n.getOpType());
            if (rule == null) {
                throw new UnsupportedGraphException(Nodes.describe(n) + " is on the path from input '" + input
                        + "' to " + outputs + " but " + n.getOpType() + " has no gradient rule; supported: "
                        + rules.keySet().stream().sorted().toList());
            }
            for (int slot = 1; slot < n.getOutputCount(); slot++) {
                if (needsGradient.contains(n.getOutput(slot))) {
                    throw new UnsupportedGraphException(Nodes.describe(n) + ": output " + slot + " '"
                            + n.getOutput(slot) + "' is used on the path to " + outputs
                            + ", but gradients flow only through output 0");
                }
            }
            for (int slot = 0; slot < n.getInputCount(); slot++) {
                String in = n.getInput(slot);
                if (in.isEmpty() || !active.contains(in)) {
                    continue;
                }
                switch (rule.slot(n, slot)) {
                    case DIFFERENTIABLE -> needsGradient.add(in);
                    case DISCRETE -> { }
                    case CONSTANT -> throw new UnsupportedGraphException(Nodes.describe(n) + ": input " + slot + " '"
                            + in + "' depends on input '" + input + "', but " + n.getOpType()
                            + " gradients treat it as a constant weight");
                }
            }
        }
        return new PathAnalysis(order, active, needsGradient);
    }

    /** The nodes the roots depend on, each after the producers of its inputs (iterative DFS). */
    private static List<NodeProto> topologicalAncestors(List<String> roots, Map<String, NodeProto> producer,
            Set<String> available) {
        final class Frame {
            final NodeProto node;
            int nextInput;

            Frame(NodeProto node) {
                this.node = node;
            }
        }
        List<NodeProto> order = new ArrayList<>();
        Map<NodeProto, Boolean> finished = new IdentityHashMap<>(); // false while on the DFS path
        Deque<Frame> stack = new ArrayDeque<>();
        for (String root : roots) {
            NodeProto start = producer.get(root);
            if (finished.containsKey(start)) {
                continue;
            }
            stack.push(new Frame(start));
            finished.put(start, false);
            while (!stack.isEmpty()) {
                Frame f = stack.peek();
                if (f.nextInput == f.node.getInputCount()) {
                    stack.pop();
                    finished.put(f.node, true);
                    order.add(f.node);
                    continue;
                }
                String in = f.node.getInput(f.nextInput++);
                if (in.isEmpty() || available.contains(in)) {
                    continue;
                }
                NodeProto p = producer.get(in);
                if (p == null) {
                    throw new UnsupportedGraphException(Nodes.describe(f.node) + ": input '" + in
                            + "' is not a graph input, an initializer or any node's output");
                }
                Boolean state = finished.get(p);
                if (state == null) {
                    finished.put(p, false);
                    stack.push(new Frame(p));
                } else if (!state) {
                    throw new UnsupportedGraphException(Nodes.describe(f.node) + ": the graph has a cycle through '"
                            + in + "'");
                }
            }
        }
        return order;
    }

    /** Rank of a value when the graph records it: initializer dims, typed inputs, value_info. */
    static Map<String, Integer> knownRanks(GraphProto graph) {
        Map<String, Integer> ranks = new HashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            ranks.put(t.getName(), t.getDimsCount());
        }
        List<ValueInfoProto> infos = new ArrayList<>(graph.getInputList());
        infos.addAll(graph.getValueInfoList());
        infos.addAll(graph.getOutputList());
        for (ValueInfoProto v : infos) {
            if (v.getType().hasTensorType() && v.getType().getTensorType().hasShape()) {
                ranks.putIfAbsent(v.getName(), v.getType().getTensorType().getShape().getDimCount());
            }
        }
        for (NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("Constant")) {
                n.getAttributeList().stream().filter(a -> a.getName().equals("value") && a.hasT())
                        .findFirst().ifPresent(a -> ranks.put(n.getOutput(0), a.getT().getDimsCount()));
            }
        }
        return ranks;
    }
}
