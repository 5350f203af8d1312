package dev.forger.graph.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an ONNX model: typed inputs and outputs, initializers, nodes, opset and metadata.
 *
 * <pre>{@code
 * OnnxModel m = new ModelBuilder("discriminator")
 *     .input(ValueInfo.batchedFloat("image", 1, 32, 32))
 *     .initializer("w0", weights, 64, 1, 4, 4)
 *     .output(ValueInfo.batchedFloat("logit", 1));
 * String h = m.node("Conv", "image", "w0").ints("strides", 2, 2).ints("pads", 1, 1, 1, 1).output("h");
 * ...
 * m.metadata("forger.network", "discriminator").build();
 * }</pre>
 *
 * <p>Written here rather than taken from tribuo-util-onnx's {@code ONNXContext}: that API is shaped
 * around Tribuo's own models (operator enums, placeholders bound to its types) and cannot re-emit
 * nodes of an existing model, which the differentiation needs; this one is a thin layer over the
 * protobuf builders. Nodes must be added in topological order (each input produced before use),
 * which ONNX requires.
 */
public final class ModelBuilder {
    /** The default opset: 17 is what recent PyTorch exports and well inside ONNX Runtime 1.23's range. */
    public static final int DEFAULT_OPSET = 17;
    /** IR version 8 goes with opsets 15-18 and is read by every ONNX Runtime since 1.10. */
    public static final long DEFAULT_IR_VERSION = 8;

    private final String graphName;
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<ValueInfoProto> valueInfos = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Set<String> defined = new HashSet<>();
    /** Names handed out by {@link #fresh} and not yet defined. */
    private final Set<String> reserved = new HashSet<>();
    private int opset = DEFAULT_OPSET;
    private long irVersion = DEFAULT_IR_VERSION;
    private String producer = "forger";
    private String docString = "";
    private int nextId;

    public ModelBuilder(String graphName) {
        this.graphName = graphName;
    }

    /**
     * A builder that starts as a copy of {@code model}: same graph, opset, IR version and metadata.
     * Only opset imports of the default domain are kept.
     */
    public static ModelBuilder copyOf(OnnxModel model) {
        ModelProto proto = model.proto();
        ModelBuilder b = new ModelBuilder(proto.getGraph().getName());
        b.opset = model.opset();
        b.irVersion = proto.getIrVersion();
        b.producer = proto.getProducerName();
        b.docString = proto.getDocString();
        GraphProto g = proto.getGraph();
        g.getInputList().forEach(b::input);
        g.getInitializerList().forEach(b::initializer);
        g.getNodeList().forEach(b::addNode);
        g.getOutputList().forEach(b::output);
        b.metadata.putAll(model.metadata());
        return b;
    }

    public ModelBuilder opset(int opset) {
        this.opset = opset;
        return this;
    }

    public ModelBuilder irVersion(long irVersion) {
        this.irVersion = irVersion;
        return this;
    }

    public ModelBuilder producer(String producer) {
        this.producer = producer;
        return this;
    }

    public ModelBuilder docString(String docString) {
        this.docString = docString;
        return this;
    }

    public ModelBuilder input(ValueInfo input) {
        return input(input.toProto());
    }

    public ModelBuilder input(ValueInfoProto input) {
        claim(input.getName());
        inputs.add(input);
        return this;
    }

    public ModelBuilder output(ValueInfo output) {
        return output(output.toProto());
    }

    public ModelBuilder output(ValueInfoProto output) {
        outputs.add(output);
        return this;
    }

    /** Records the type and shape of an intermediate value (the graph's {@code value_info}). */
    public ModelBuilder valueInfo(ValueInfoProto info) {
        valueInfos.add(info);
        return this;
    }

    /** Removes every graph output (to replace them with others). */
    public ModelBuilder clearOutputs() {
        outputs.clear();
        return this;
    }

    public ModelBuilder initializer(String name, float[] data, long... shape) {
        return initializer(Tensors.floats(name, data, shape));
    }

    public ModelBuilder initializer(String name, FloatTensor tensor) {
        return initializer(Tensors.floats(name, tensor));
    }

    public ModelBuilder initializer(TensorProto tensor) {
        // models written with keep_initializers_as_inputs list weights as graph inputs too
        boolean alsoAnInput = inputs.stream().anyMatch(i -> i.getName().equals(tensor.getName()))
                && initializers.stream().noneMatch(t -> t.getName().equals(tensor.getName()));
        if (!alsoAnInput) {
            claim(tensor.getName());
        }
        initializers.add(tensor);
        return this;
    }

    /** Adds an int64 vector initializer (shapes, axes) and returns its name. */
    public String int64Constant(String name, long... values) {
        initializer(Tensors.int64Vector(name, values));
        return name;
    }

    /** Adds a float scalar initializer (rank 0) and returns its name. */
    public String scalarConstant(String name, float value) {
        initializer(Tensors.scalar(name, value));
        return name;
    }

    /** Starts a node; {@link NodeBuilder#output} adds it. */
    public NodeBuilder node(String opType, String... inputs) {
        return new NodeBuilder(this, opType, inputs);
    }

    /** Adds a node as it is (its outputs must be new names). */
    public ModelBuilder addNode(NodeProto node) {
        for (String out : node.getOutputList()) {
            if (!out.isEmpty()) {
                claim(out);
            }
        }
        nodes.add(node);
        return this;
    }

    public ModelBuilder metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** A value name not yet used in this graph, derived from {@code hint}. */
    public String fresh(String hint) {
        String name = hint;
        while (defined.contains(name) || reserved.contains(name)) {
            name = hint + "_" + nextId++;
        }
        reserved.add(name);
        return name;
    }

    /**
     * Keeps {@link #fresh} from handing out this name, for a value that will be defined later
     * (e.g. by nodes of another model still to be copied in).
     */
    public ModelBuilder reserve(String name) {
        if (!defined.contains(name)) {
            reserved.add(name);
        }
        return this;
    }

    /** Whether a value with this name exists already (input, initializer or node output). */
    public boolean isDefined(String name) {
        return defined.contains(name);
    }

    public int opset() {
        return opset;
    }

    public OnnxModel build() {
        GraphProto graph = GraphProto.newBuilder().setName(graphName).addAllInput(inputs)
                .addAllOutput(outputs).addAllInitializer(initializers).addAllNode(nodes).addAllValueInfo(valueInfos).build();
        ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(irVersion).setProducerName(producer)
                .setDocString(docString).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset));
        metadata.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return OnnxModel.of(model.build());
    }

    private void claim(String name) {
        if (!defined.add(name)) {
            throw new IllegalArgumentException("graph '" + graphName + "': value name '" + name + "' is defined twice");
        }
        reserved.remove(name);
    }
}
