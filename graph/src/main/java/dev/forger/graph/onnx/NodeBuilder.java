package dev.forger.graph.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One node under construction, from {@link ModelBuilder#node}. Attributes are typed the way the
 * ONNX operator specs declare them, and ONNX Runtime checks the type: a scalar {@code axis} is
 * {@link #attr(String, long)}, a list like {@code strides} is {@link #ints(String, long...)}.
 * Finish with {@link #output} or {@link #outputs}, which add the node to the graph.
 */
public final class NodeBuilder {
    private final ModelBuilder model;
    private final NodeProto.Builder node;

    NodeBuilder(ModelBuilder model, String opType, String... inputs) {
        this.model = model;
        this.node = NodeProto.newBuilder().setOpType(opType).addAllInput(Arrays.asList(inputs));
    }

    public NodeBuilder name(String name) {
        node.setName(name);
        return this;
    }

    /** An INT attribute. */
    public NodeBuilder attr(String name, long value) {
        return add(AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value));
    }

    /** A FLOAT attribute. */
    public NodeBuilder attr(String name, float value) {
        return add(AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(value));
    }

    /** A STRING attribute. */
    public NodeBuilder attr(String name, String value) {
        return add(AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)));
    }

    /** A TENSOR attribute (e.g. Constant's {@code value}). */
    public NodeBuilder attr(String name, TensorProto value) {
        return add(AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR).setT(value));
    }

    /** An INTS attribute. */
    public NodeBuilder ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return add(a);
    }

    /** A FLOATS attribute. */
    public NodeBuilder floats(String name, float... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOATS);
        for (float v : values) {
            a.addFloats(v);
        }
        return add(a);
    }

    /** Copies an attribute as it is (used when re-emitting nodes of another model). */
    public NodeBuilder attr(AttributeProto attribute) {
        node.addAttribute(attribute);
        return this;
    }

    /** Adds the node with one output and returns that output's name. */
    public String output(String name) {
        outputs(name);
        return name;
    }

    /** Adds the node with these outputs (an empty name skips an optional output) and returns them. */
    public String[] outputs(String... names) {
        node.addAllOutput(Arrays.asList(names));
        model.addNode(node.build());
        return names;
    }

    private NodeBuilder add(AttributeProto.Builder attribute) {
        node.addAttribute(attribute);
        return this;
    }
}
