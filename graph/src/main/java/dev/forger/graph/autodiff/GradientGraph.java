package dev.forger.graph.autodiff;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.Tensors;
import dev.forger.graph.onnx.ValueInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Derives the gradient graph of a forward model: one ONNX model that, in a single ONNX Runtime
 * run, computes the forward output and the gradient of a {@link Loss} on it with respect to the
 * input.
 *
 * <p>The derived model of {@link #derive(OnnxModel, String, String, Loss)} has
 * <ul>
 *   <li>inputs: the forward input (same name and type), plus {@value Loss#TARGET} or
 *       {@value Loss#CLASS} when the loss is per-sample ({@link Loss#extraInputs()});</li>
 *   <li>outputs: {@value #LOGIT} (the forward output) and {@value #GRAD} (dLoss/dinput, shaped
 *       like the input; row i is the gradient of sample i's own loss).</li>
 * </ul>
 * The general {@link #derive(OnnxModel, String, Objective, List)} differentiates an
 * {@link Objective} (weighted losses on several outputs) and outputs the forward values asked for
 * under their own names, then {@value #GRAD}.
 *
 * <p>How: the forward nodes the outputs depend on are copied (pruned, topologically sorted); each
 * loss emits dLoss/doutput (times its weight); then one reverse pass visits the nodes in reverse topological order and
 * asks each node's {@link Rule} (looked up by operator in {@link Rules}) to emit the
 * vector-Jacobian product as ONNX nodes. A value used by several nodes receives the sum (Add) of
 * its gradient contributions. Weights are constants: only gradients towards the input are emitted.
 *
 * <p>Requires opset 13 or newer (the semantics of Softmax, ReduceSum and friends the rules rely
 * on); models using MaxPool on the path are raised to opset 16 for ScatterElements' {@code add}
 * reduction (no operator of the supported set changes its inference behaviour between 13 and 16).
 */
public final class GradientGraph {
    /** Output name of the forward output in the derived model. */
    public static final String LOGIT = "logit";
    /** Output name of the input gradient in the derived model. */
    public static final String GRAD = "grad";
    static final int MIN_OPSET = 13;

    private GradientGraph() {}

    /** Derives from the model's first input and first output. */
    public static OnnxModel derive(OnnxModel forward, Loss loss) {
        return derive(forward, null, null, loss);
    }

    /**
     * @param input  a graph input of {@code forward} (float); null for the first input
     * @param output the value to put the loss on: a graph output, or any value a node computes
     *               (e.g. the logits before a final Softmax); null for the first output
     * @throws UnsupportedGraphException naming the node and operator when the graph cannot be differentiated
     */
    public static OnnxModel derive(OnnxModel forward, String input, String output, Loss loss) {
        if (input == null || output == null) {
            if (forward.inputs().isEmpty() || forward.outputs().isEmpty()) {
                throw new UnsupportedGraphException("the model needs at least one input and one output");
            }
            input = input == null ? forward.inputs().get(0).name() : input;
            output = output == null ? forward.outputs().get(0).name() : output;
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put(LOGIT, output);
        return derive(forward, input, Objective.of(output, loss), outputs, loss.toString());
    }

    /**
     * The general form: the gradient of an {@link Objective} (a weighted sum of losses on one or
     * more forward values) with respect to {@code input}.
     *
     * <p>The derived model has inputs {@code input} and the objective's {@link Objective#extraInputs()}
     * (targets, classes, per-sample weights), and outputs the forward values named in {@code outputs},
     * under their own names and in that order, then {@value #GRAD}. The forward values may be graph
     * outputs or any value a node computes; keeping one costs nothing, the forward pass computes it
     * anyway (e.g. the image between a generator and a discriminator).
     *
     * @throws UnsupportedGraphException naming the node and operator when the graph cannot be
     *                                   differentiated, or naming a value the model lacks
     */
    public static OnnxModel derive(OnnxModel forward, String input, Objective objective, List<String> outputs) {
        Map<String, String> named = new LinkedHashMap<>();
        for (String o : outputs) {
            if (named.put(o, o) != null) {
                throw new UnsupportedGraphException("output '" + o + "' is asked for twice");
            }
        }
        return derive(forward, input, objective, named, objective.toString());
    }

    /** @param outputs name in the derived model -> forward value */
    private static OnnxModel derive(OnnxModel forward, String input, Objective objective,
            Map<String, String> outputs, String lossDescription) {
        int opset = forward.opset();
        if (opset < MIN_OPSET) {
            throw new UnsupportedGraphException("the model uses opset " + opset + "; differentiation needs opset "
                    + MIN_OPSET + " or newer (re-export with a newer opset)");
        }
        ValueInfo inputInfo = forward.input(input);
        if (inputInfo.elementType() != DataType.FLOAT_VALUE) {
            throw new UnsupportedGraphException("input '" + input + "' is " + DataType.forNumber(inputInfo.elementType())
                    + ", only float inputs can be differentiated");
        }
        List<ValueInfo> extraInputs = objective.extraInputs();
        Set<String> reserved = new HashSet<>(Set.of(GRAD));
        extraInputs.forEach(v -> reserved.add(v.name()));
        if (reserved.contains(input)) {
            throw new UnsupportedGraphException("input '" + input + "' has a name the gradient graph reserves for "
                    + "its own inputs/outputs " + reserved.stream().sorted().toList());
        }
        for (String name : outputs.keySet()) {
            if (reserved.contains(name) || name.equals(input)) {
                throw new UnsupportedGraphException("output '" + name + "' would clash with the gradient graph's own "
                        + "input or output of that name; inputs: " + input + " and "
                        + extraInputs.stream().map(ValueInfo::name).toList() + ", gradient output: " + GRAD);
            }
        }
        reserved.addAll(outputs.keySet());
        Set<String> keep = new HashSet<>();
        outputs.forEach((name, value) -> {
            if (name.equals(value)) {
                keep.add(name);
            }
        });
        Renamer renamer = new Renamer(forward.graph(), reserved, keep);
        GraphProto graph = renamer.graph();
        List<String> lossOutputs = objective.terms().stream().map(t -> renamer.apply(t.output())).distinct().toList();
        List<String> kept = outputs.values().stream().map(renamer::apply).toList();
        PathAnalysis path = PathAnalysis.of(graph, input, lossOutputs, kept, Rules.ALL);

        String lossOn = objective.terms().stream().map(t -> "'" + t.output() + "'").distinct()
                .collect(Collectors.joining(", "));
        ModelBuilder b = new ModelBuilder(graph.getName() + "_grad")
                .irVersion(Math.max(forward.proto().getIrVersion(), ModelBuilder.DEFAULT_IR_VERSION))
                .producer("forger-graph")
                .docString("Forward output " + lossOn + " and d " + lossDescription + " / d '" + input + "'");
        forward.metadata().forEach(b::metadata);
        b.metadata("forger.gradient.input", input)
                .metadata("forger.gradient.output", lossOn.replace("'", ""))
                .metadata("forger.gradient.loss", lossDescription);
        copyUsedInputsAndInitializers(b, graph, path.order, input);
        extraInputs.forEach(b::input);

        Emitter e = new Emitter(b.opset(opset), PathAnalysis.knownRanks(graph), initializerShapes(graph));
        path.order.forEach(n -> n.getOutputList().forEach(b::reserve));
        List<NodeProto> emitted = new ArrayList<>();
        for (NodeProto n : path.order) {
            boolean onPath = n.getOutputList().stream().anyMatch(path.needsGradient::contains);
            NodeProto node = onPath ? Rules.ALL.get(n.getOpType()).forward(n, e) : n;
            b.addNode(node);
            emitted.add(node);
        }

        Map<String, List<String>> contributions = new HashMap<>();
        for (Objective.Term term : objective.terms()) {
            String out = renamer.apply(term.output());
            String seed = e.scale(term.loss().seed(e, out), term.weight());
            if (term.weightInput() != null) {
                seed = e.mul(seed, e.perSample(term.weightInput(), seed));
            }
            contributions.computeIfAbsent(out, k -> new ArrayList<>()).add(seed);
        }
        for (int k = emitted.size() - 1; k >= 0; k--) {
            NodeProto n = emitted.get(k);
            List<String> outputGrads = contributions.get(n.getOutput(0));
            if (!path.needsGradient.contains(n.getOutput(0)) || outputGrads == null) {
                continue;
            }
            boolean[] wanted = new boolean[n.getInputCount()];
            for (int slot = 0; slot < wanted.length; slot++) {
                wanted[slot] = path.needsGradient.contains(n.getInput(slot));
            }
            Step step = new Step(n, e, sum(e, outputGrads), wanted);
            Rules.ALL.get(n.getOpType()).backward(step);
            for (int slot = 0; slot < wanted.length; slot++) {
                if (wanted[slot]) {
                    if (step.given(slot) == null) {
                        throw new IllegalStateException("gradient rule for " + n.getOpType() + " gave no gradient for input " + slot);
                    }
                    contributions.computeIfAbsent(n.getInput(slot), x -> new ArrayList<>()).add(step.given(slot));
                }
            }
        }

        b.node("Identity", sum(e, contributions.get(input))).output(GRAD);
        outputs.forEach((name, value) -> {
            String v = renamer.apply(value);
            if (!v.equals(name)) {
                b.node("Identity", v).output(name);
            }
            b.output(outputInfo(forward, value, name));
        });
        b.output(inputInfo.renamed(GRAD));
        b.opset(Math.max(opset, e.requiredOpset()));
        return b.build();
    }

    /** Gradient contributions of one value, added up. */
    private static String sum(Emitter e, List<String> parts) {
        String total = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            total = e.add(total, parts.get(i));
        }
        return total;
    }

    /** The forward value's declared type under its name in the derived model (float of unknown shape when undeclared). */
    private static ValueInfoProto outputInfo(OnnxModel forward, String value, String name) {
        return Stream.concat(forward.outputs().stream(), forward.inputs().stream())
                .filter(o -> o.name().equals(value)).findFirst()
                .map(o -> o.renamed(name).toProto())
                .orElse(new ValueInfo(name, DataType.FLOAT_VALUE, null).toProto());
    }

    private static Map<String, long[]> initializerShapes(GraphProto graph) {
        Map<String, long[]> shapes = new HashMap<>();
        graph.getInitializerList().forEach(t -> shapes.put(t.getName(), Tensors.shape(t)));
        return shapes;
    }

    /** Only what the pruned forward pass reads: unused weights and inputs are dropped. */
    private static void copyUsedInputsAndInitializers(ModelBuilder b, GraphProto graph, List<NodeProto> nodes,
            String input) {
        Set<String> used = new LinkedHashSet<>();
        nodes.forEach(n -> used.addAll(n.getInputList()));
        for (ValueInfoProto i : graph.getInputList()) {
            boolean isWeight = graph.getInitializerList().stream().anyMatch(t -> t.getName().equals(i.getName()));
            if (i.getName().equals(input) || (used.contains(i.getName()) && !isWeight)) {
                b.input(i);
            }
        }
        for (TensorProto t : graph.getInitializerList()) {
            if (used.contains(t.getName())) {
                b.initializer(t);
            }
        }
    }
}
