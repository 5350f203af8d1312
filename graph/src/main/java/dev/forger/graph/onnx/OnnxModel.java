package dev.forger.graph.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An immutable ONNX model: read access to its graph (nodes, initializers as float arrays, typed
 * inputs and outputs), its opset and custom metadata, and serialisation. Build new ones with
 * {@link ModelBuilder}.
 */
public final class OnnxModel {
    private final ModelProto proto;
    private final Map<String, TensorProto> initializers;

    private OnnxModel(ModelProto proto) {
        this.proto = proto;
        Map<String, TensorProto> byName = new LinkedHashMap<>();
        proto.getGraph().getInitializerList().forEach(t -> byName.put(t.getName(), t));
        this.initializers = Collections.unmodifiableMap(byName);
    }

    public static OnnxModel of(ModelProto proto) {
        return new OnnxModel(proto);
    }

    public static OnnxModel read(Path file) throws IOException {
        try {
            return read(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a serialised model; bytes that are not an ONNX model fail with a clear message. */
    public static OnnxModel read(byte[] bytes) {
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
        if (!proto.hasGraph()) {
            throw new IllegalArgumentException("not an ONNX model: no graph");
        }
        return new OnnxModel(proto);
    }

    public ModelProto proto() {
        return proto;
    }

    public GraphProto graph() {
        return proto.getGraph();
    }

    public List<NodeProto> nodes() {
        return proto.getGraph().getNodeList();
    }

    /** Initializers (weights and constants) by name, in file order. */
    public Map<String, TensorProto> initializers() {
        return initializers;
    }

    public boolean isInitializer(String name) {
        return initializers.containsKey(name);
    }

    /** A float initializer's values and shape; fails naming the tensor when absent or not float. */
    public FloatTensor floatInitializer(String name) {
        TensorProto t = initializers.get(name);
        if (t == null) {
            throw new IllegalArgumentException("model has no initializer '" + name + "'");
        }
        return Tensors.toFloatTensor(t);
    }

    /**
     * The graph's real inputs. Initializers that are also listed as inputs (older exporters do
     * that) are left out: they are weights, not something a caller feeds.
     */
    public List<ValueInfo> inputs() {
        return proto.getGraph().getInputList().stream().filter(i -> !initializers.containsKey(i.getName()))
                .map(ValueInfo::of).toList();
    }

    public List<ValueInfo> outputs() {
        return proto.getGraph().getOutputList().stream().map(ValueInfo::of).toList();
    }

    /** The input with this name; fails listing the inputs there are. */
    public ValueInfo input(String name) {
        return find(inputs(), name, "input");
    }

    /** The output with this name; fails listing the outputs there are. */
    public ValueInfo output(String name) {
        return find(outputs(), name, "output");
    }

    /** The version of the default ("ai.onnx") opset the model imports; 0 when it imports none. */
    public int opset() {
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return (int) o.getVersion();
            }
        }
        return 0;
    }

    /** Custom metadata ({@code metadata_props}), what ONNX Runtime calls custom metadata. */
    public Map<String, String> metadata() {
        return proto.getMetadataPropsList().stream().collect(Collectors.toMap(StringStringEntryProto::getKey,
                StringStringEntryProto::getValue, (a, b) -> b, LinkedHashMap::new));
    }

    public byte[] toBytes() {
        return proto.toByteArray();
    }

    public void write(Path file) throws IOException {
        Files.write(file, toBytes());
    }

    @Override
    public String toString() {
        return "OnnxModel[" + proto.getGraph().getName() + ", opset " + opset() + ", " + nodes().size()
                + " nodes, inputs " + inputs() + ", outputs " + outputs() + "]";
    }

    private static ValueInfo find(List<ValueInfo> values, String name, String kind) {
        return values.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("model has no " + kind + " '" + name + "'; its " + kind + "s are "
                        + values.stream().map(ValueInfo::name).toList()));
    }

    /** Graph-level value infos (intermediate shapes), when the producer recorded them. */
    public List<ValueInfoProto> valueInfos() {
        return proto.getGraph().getValueInfoList();
    }
}
