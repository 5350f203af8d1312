package dev.forger.graph.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;

/**
 * Typed reading of a node's attributes, with the operator's default when an attribute is absent.
 * Errors name the node, so a malformed model points at the culprit.
 */
public final class Attributes {
    private final NodeProto node;

    private Attributes(NodeProto node) {
        this.node = node;
    }

    public static Attributes of(NodeProto node) {
        return new Attributes(node);
    }

    public boolean has(String name) {
        return find(name) != null;
    }

    public long getInt(String name, long defaultValue) {
        AttributeProto a = find(name);
        return a == null ? defaultValue : require(a, AttributeType.INT).getI();
    }

    public float getFloat(String name, float defaultValue) {
        AttributeProto a = find(name);
        return a == null ? defaultValue : require(a, AttributeType.FLOAT).getF();
    }

    public String getString(String name, String defaultValue) {
        AttributeProto a = find(name);
        return a == null ? defaultValue : require(a, AttributeType.STRING).getS().toStringUtf8();
    }

    /** An INTS attribute, or null when absent. */
    public long[] getInts(String name) {
        AttributeProto a = find(name);
        return a == null ? null : require(a, AttributeType.INTS).getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    public long[] getInts(String name, long[] defaultValue) {
        long[] value = getInts(name);
        return value == null ? defaultValue : value;
    }

    /** A TENSOR attribute, or null when absent. */
    public TensorProto getTensor(String name) {
        AttributeProto a = find(name);
        return a == null ? null : require(a, AttributeType.TENSOR).getT();
    }

    /** The attribute names present on the node. */
    public List<String> names() {
        return node.getAttributeList().stream().map(AttributeProto::getName).toList();
    }

    private AttributeProto find(String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    private AttributeProto require(AttributeProto a, AttributeType type) {
        if (a.getType() != type) {
            throw new IllegalArgumentException(Nodes.describe(node) + ": attribute '" + a.getName() + "' is "
                    + a.getType() + ", expected " + type);
        }
        return a;
    }
}
