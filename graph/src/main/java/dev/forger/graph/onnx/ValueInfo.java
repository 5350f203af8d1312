package dev.forger.graph.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A graph input or output: a name, an element type and a shape whose dimensions are fixed sizes
 * or symbols (such as the batch dimension {@code "N"}).
 *
 * @param shape null when the rank is unknown
 */
public record ValueInfo(String name, int elementType, List<Dimension> shape) {
    /** The symbol used for the dynamic batch dimension. */
    public static final String BATCH = "N";

    /** One dimension: a size, or a symbol when {@code symbol != null} (size is then -1). */
    public record Dimension(long size, String symbol) {
        public static Dimension fixed(long size) {
            return new Dimension(size, null);
        }

        public static Dimension symbolic(String symbol) {
            return new Dimension(-1, symbol);
        }

        public boolean isFixed() {
            return symbol == null && size >= 0;
        }

        @Override
        public String toString() {
            return isFixed() ? Long.toString(size) : symbol == null ? "?" : symbol;
        }
    }

    /** A float tensor [N, dims...] with a dynamic batch dimension N. */
    public static ValueInfo batchedFloat(String name, long... dims) {
        List<Dimension> shape = new ArrayList<>();
        shape.add(Dimension.symbolic(BATCH));
        for (long d : dims) {
            shape.add(Dimension.fixed(d));
        }
        return new ValueInfo(name, DataType.FLOAT_VALUE, List.copyOf(shape));
    }

    public static ValueInfo of(ValueInfoProto proto) {
        TypeProto type = proto.getType();
        if (!type.hasTensorType()) {
            return new ValueInfo(proto.getName(), DataType.UNDEFINED_VALUE, null);
        }
        TypeProto.Tensor tensor = type.getTensorType();
        List<Dimension> shape = null;
        if (tensor.hasShape()) {
            shape = new ArrayList<>();
            for (TensorShapeProto.Dimension d : tensor.getShape().getDimList()) {
                shape.add(d.hasDimValue() ? Dimension.fixed(d.getDimValue())
                        : new Dimension(-1, d.hasDimParam() ? d.getDimParam() : null));
            }
        }
        return new ValueInfo(proto.getName(), tensor.getElemType(), shape == null ? null : List.copyOf(shape));
    }

    public ValueInfoProto toProto() {
        TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder().setElemType(elementType);
        if (shape != null) {
            TensorShapeProto.Builder shapeProto = TensorShapeProto.newBuilder();
            for (Dimension d : shape) {
                TensorShapeProto.Dimension.Builder dim = shapeProto.addDimBuilder();
                if (d.isFixed()) {
                    dim.setDimValue(d.size());
                } else if (d.symbol() != null) {
                    dim.setDimParam(d.symbol());
                }
            }
            tensor.setShape(shapeProto);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    /** The same type under another name. */
    public ValueInfo renamed(String newName) {
        return new ValueInfo(newName, elementType, shape);
    }

    /** The sizes, with -1 for symbolic or unknown dimensions; null when the rank is unknown. */
    public long[] sizes() {
        return shape == null ? null : shape.stream().mapToLong(Dimension::size).toArray();
    }

    @Override
    public String toString() {
        String dims = shape == null ? "?" : shape.stream().map(Dimension::toString).collect(Collectors.joining(","));
        return name + ": " + DataType.forNumber(elementType) + "[" + dims + "]";
    }
}
