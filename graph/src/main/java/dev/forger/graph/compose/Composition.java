package dev.forger.graph.compose;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.Renaming;
import dev.forger.graph.onnx.ValueInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Composes two ONNX models into one by feeding inputs of the second from values of the first:
 * {@code z -> generator -> image -> discriminator -> logit} becomes one graph that ONNX Runtime runs
 * at once and {@link dev.forger.graph.autodiff.GradientGraph} can differentiate end to end.
 *
 * <pre>{@code
 * OnnxModel gd = Composition.of("generator", generator)
 *         .into("discriminator", discriminator)
 *         .connect("image", "image")   // generator output -> discriminator input
 *         .build();                    // input z; outputs image, logit
 * }</pre>
 *
 * <p>The composite
 * <ul>
 *   <li>takes the first model's inputs and the second's unconnected inputs, under their own names;</li>
 *   <li>outputs the first model's outputs (the connected ones too: the forward pass computes them
 *       anyway) and then the second's, under their own names;</li>
 *   <li>keeps every other value, weight and node of each model under a prefix ({@code "generator/"},
 *       {@code "discriminator/"}), so weights called {@code layer0_W} in both do not clash;</li>
 *   <li>merges opsets ({@link Opsets}), IR versions (the newer), value infos and metadata (a key
 *       on which the models disagree is kept per model, prefixed).</li>
 * </ul>
 * A connection may also start at one of the first model's inputs: both models then read the same
 * input ({@code image -> classifier} and {@code image -> discriminator} side by side). Give the
 * models' inputs and outputs the names you want first ({@link Renaming#renameInterface}); names that
 * clash in the composite's inputs or outputs are refused, never renamed silently.
 *
 * <p>Written here rather than taken from a library: ONNX's own composition
 * ({@code onnx.compose.merge_models}) is Python, and no Java library composes ONNX models.
 *
 * @see CompositionException for what is refused
 */
public final class Composition {
    private final Part first;
    private Part second;
    /** second's input -> first's value */
    private final Map<String, String> connections = new LinkedHashMap<>();

    private Composition(Part first) {
        this.first = first;
    }

    /** Starts a composition with the model whose values feed the second; its internal names get {@code name + "/"}. */
    public static Composition of(String name, OnnxModel model) {
        return new Composition(Part.named(name, model));
    }

    /**
     * Starts with a model whose names are kept as they are, such as an earlier composite (its names
     * are prefixed already); its graph name is used in messages.
     */
    public static Composition of(OnnxModel model) {
        return new Composition(Part.keepingNames(model));
    }

    /** The model fed by the first; its internal names get {@code name + "/"}. */
    public Composition into(String name, OnnxModel model) {
        if (second != null) {
            throw new IllegalStateException("a composition joins two models; compose the result again for a third");
        }
        this.second = Part.named(name, model);
        return this;
    }

    /**
     * Feeds the second model's input {@code secondInput} from {@code firstValue}, an output (or an
     * input) of the first model. Repeat for models joined by several values.
     */
    public Composition connect(String firstValue, String secondInput) {
        requireSecond();
        if (connections.containsKey(secondInput)) {
            throw new CompositionException(second.name() + " input '" + secondInput + "' is connected twice: to '"
                    + connections.get(secondInput) + "' and to '" + firstValue + "'");
        }
        connections.put(secondInput, firstValue);
        return this;
    }

    /**
     * The composite model.
     *
     * @throws CompositionException naming the models and values at fault
     */
    public OnnxModel build() {
        requireSecond();
        if (connections.isEmpty()) {
            throw new CompositionException("connect at least one value of " + first.name() + " to an input of "
                    + second.name());
        }
        Map<String, ValueInfo> firstValues = new LinkedHashMap<>();
        first.model().inputs().forEach(v -> firstValues.put(v.name(), v));
        first.model().outputs().forEach(v -> firstValues.put(v.name(), v));
        Map<String, ValueInfo> secondInputs = new LinkedHashMap<>();
        second.model().inputs().forEach(v -> secondInputs.put(v.name(), v));
        Set<String> secondOutputs = names(second.model().outputs());
        connections.forEach((secondInput, firstValue) -> {
            ValueInfo to = secondInputs.get(secondInput);
            if (to == null) {
                throw new CompositionException(second.name() + " has no input '" + secondInput + "'; its inputs are "
                        + secondInputs.keySet());
            }
            ValueInfo from = firstValues.get(firstValue);
            if (from == null) {
                throw new CompositionException(first.name() + " has no output or input '" + firstValue
                        + "'; its outputs are " + names(first.model().outputs()) + " and its inputs "
                        + names(first.model().inputs()));
            }
            if (secondOutputs.contains(secondInput)) {
                throw new CompositionException(second.name() + " passes its input '" + secondInput
                        + "' straight to an output; there is nothing of it to compose");
            }
            requireCompatible(from, to, firstValue, secondInput);
        });

        GraphProto a = prefixed(first, Map.of());
        GraphProto b = prefixed(second, connections);
        List<ValueInfoProto> inputs = new ArrayList<>(a.getInputList());
        inputs.addAll(b.getInputList());
        List<ValueInfoProto> outputs = new ArrayList<>(a.getOutputList());
        outputs.addAll(b.getOutputList());
        requireUnique(inputs, "input");
        requireUnique(outputs, "output");
        requireDisjoint(a, b);

        ModelBuilder builder = new ModelBuilder(first.name() + "_" + second.name())
                .opset(Opsets.merge(first, second))
                .irVersion(Math.max(first.model().proto().getIrVersion(), second.model().proto().getIrVersion()))
                .producer("forger-graph")
                .docString(describe());
        inputs.forEach(builder::input);
        for (GraphProto g : List.of(a, b)) {
            g.getInitializerList().forEach(builder::initializer);
        }
        for (GraphProto g : List.of(a, b)) {
            g.getNodeList().forEach(builder::addNode);
            g.getValueInfoList().forEach(builder::valueInfo);
        }
        outputs.forEach(builder::output);
        mergedMetadata().forEach(builder::metadata);
        return builder.build();
    }

    private void requireSecond() {
        if (second == null) {
            throw new IllegalStateException("name the second model first: Composition.of(...).into(name, model)");
        }
    }

    /**
     * The part's graph with internal names prefixed, node names too, and connected inputs replaced
     * by the first model's values (those inputs are dropped from the input list).
     */
    private static GraphProto prefixed(Part part, Map<String, String> connected) {
        GraphProto original = part.model().graph();
        GraphProto.Builder unfed = original.toBuilder().clearInput();
        original.getInputList().stream().filter(i -> !connected.containsKey(i.getName())).forEach(unfed::addInput);
        Set<String> interfaceNames = Renaming.interfaceNames(part.model());
        Map<String, String> renames = new HashMap<>(connected);
        for (String value : Renaming.definedNames(original)) {
            if (!interfaceNames.contains(value)) {
                renames.put(value, part.internal(value));
            }
        }
        GraphProto renamed = Renaming.apply(unfed.build(), renames);
        GraphProto.Builder g = renamed.toBuilder().clearNode();
        for (NodeProto n : renamed.getNodeList()) {
            g.addNode(n.getName().isEmpty() ? n : n.toBuilder().setName(part.internal(n.getName())).build());
        }
        return g.build();
    }

    private void requireCompatible(ValueInfo from, ValueInfo to, String firstValue, String secondInput) {
        String problem = null;
        if (from.elementType() != DataType.UNDEFINED_VALUE && to.elementType() != DataType.UNDEFINED_VALUE
                && from.elementType() != to.elementType()) {
            problem = "element types differ";
        } else if (from.shape() != null && to.shape() != null) {
            if (from.shape().size() != to.shape().size()) {
                problem = "ranks differ (" + from.shape().size() + " vs " + to.shape().size() + ")";
            } else {
                for (int d = 0; d < from.shape().size() && problem == null; d++) {
                    ValueInfo.Dimension x = from.shape().get(d);
                    ValueInfo.Dimension y = to.shape().get(d);
                    if (x.isFixed() && y.isFixed() && x.size() != y.size()) {
                        problem = "dimension " + d + " differs (" + x.size() + " vs " + y.size() + ")";
                    }
                }
            }
        }
        if (problem != null) {
            throw new CompositionException(first.name() + " '" + firstValue + "' is " + describe(from) + " but "
                    + second.name() + " input '" + secondInput + "' expects " + describe(to) + ": " + problem);
        }
    }

    private static String describe(ValueInfo v) {
        String type = v.elementType() == DataType.UNDEFINED_VALUE ? "?" : String.valueOf(DataType.forNumber(v.elementType()));
        String dims = v.shape() == null ? "?" : v.shape().stream().map(Object::toString).collect(Collectors.joining(","));
        return type + "[" + dims + "]";
    }

    private void requireUnique(List<ValueInfoProto> values, String kind) {
        Set<String> seen = new LinkedHashSet<>();
        for (ValueInfoProto v : values) {
            if (!seen.add(v.getName())) {
                throw new CompositionException("both " + first.name() + " and " + second.name() + " have an " + kind
                        + " named '" + v.getName() + "'; the composite would have two: rename one "
                        + "(Renaming.renameInterface) before composing");
            }
        }
    }

    /** No value may be defined by both graphs (an input of one named like an output of the other, say). */
    private void requireDisjoint(GraphProto a, GraphProto b) {
        Set<String> both = new TreeSet<>(Renaming.definedNames(a));
        both.retainAll(Renaming.definedNames(b));
        if (!both.isEmpty()) {
            throw new CompositionException(first.name() + " and " + second.name() + " would both define " + both
                    + " in the composite; rename the inputs or outputs involved (Renaming.renameInterface) before composing");
        }
    }

    private Map<String, String> mergedMetadata() {
        Map<String, String> merged = new LinkedHashMap<>();
        Map<String, String> a = first.model().metadata();
        Map<String, String> b = second.model().metadata();
        a.forEach((k, v) -> merged.put(v.equals(b.getOrDefault(k, v)) ? k : first.name() + "/" + k, v));
        b.forEach((k, v) -> merged.put(v.equals(a.getOrDefault(k, v)) ? k : second.name() + "/" + k, v));
        merged.put("forger.composition", describe());
        return merged;
    }

    private String describe() {
        return first.name() + " -> " + second.name() + " ("
                + connections.entrySet().stream().map(c -> "'" + c.getValue() + "' -> '" + c.getKey() + "'")
                        .collect(Collectors.joining(", ")) + ")";
    }

    private static Set<String> names(List<ValueInfo> values) {
        return values.stream().map(ValueInfo::name).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
