package dev.forger.graph.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Conversions between Java arrays and ONNX {@link TensorProto}s.
 *
 * <p>Writers store data as {@code raw_data} (little-endian bytes, what every exporter emits for
 * big tensors); readers accept both {@code raw_data} and the typed repeated fields, because other
 * tools write small tensors either way.
 */
public final class Tensors {
    private Tensors() {}

    public static TensorProto floats(String name, float[] data, long... shape) {
        requireSize(name, data.length, shape);
        ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data);
        return TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT_VALUE)
                .addAllDims(Arrays.stream(shape).boxed().toList())
                .setRawData(ByteString.copyFrom(bytes.array())).build();
    }

    public static TensorProto floats(String name, FloatTensor tensor) {
        return floats(name, tensor.data(), tensor.shape());
    }

    public static TensorProto int64s(String name, long[] data, long... shape) {
        requireSize(name, data.length, shape);
        ByteBuffer bytes = ByteBuffer.allocate(data.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(data);
        return TensorProto.newBuilder().setName(name).setDataType(DataType.INT64_VALUE)
                .addAllDims(Arrays.stream(shape).boxed().toList())
                .setRawData(ByteString.copyFrom(bytes.array())).build();
    }

    /** A 1-D int64 tensor, the form shapes and axes take as operator inputs. */
    public static TensorProto int64Vector(String name, long... values) {
        return int64s(name, values, values.length);
    }

    public static TensorProto scalar(String name, float value) {
        return floats(name, new float[] {value});
    }

    public static long[] shape(TensorProto tensor) {
        return tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** The values of a FLOAT or DOUBLE tensor as floats. */
    public static float[] toFloats(TensorProto tensor) {
        requireEmbedded(tensor);
        int n = Math.toIntExact(elementCount(shape(tensor)));
        float[] out = new float[n];
        switch (tensor.getDataType()) {
            case DataType.FLOAT_VALUE -> {
                if (!tensor.getRawData().isEmpty()) {
                    rawLittleEndian(tensor, n, Float.BYTES).asFloatBuffer().get(out);
                } else {
                    requireCount(tensor, tensor.getFloatDataCount(), n);
                    for (int i = 0; i < n; i++) {
                        out[i] = tensor.getFloatData(i);
                    }
                }
            }
            case DataType.DOUBLE_VALUE -> {
                double[] doubles = new double[n];
                if (!tensor.getRawData().isEmpty()) {
                    rawLittleEndian(tensor, n, Double.BYTES).asDoubleBuffer().get(doubles);
                } else {
                    requireCount(tensor, tensor.getDoubleDataCount(), n);
                    for (int i = 0; i < n; i++) {
                        doubles[i] = tensor.getDoubleData(i);
                    }
                }
                for (int i = 0; i < n; i++) {
                    out[i] = (float) doubles[i];
                }
            }
            default -> throw new IllegalArgumentException("tensor '" + tensor.getName() + "' has data type "
                    + DataType.forNumber(tensor.getDataType()) + ", expected FLOAT or DOUBLE");
        }
        return out;
    }

    /** The values of an INT64 or INT32 tensor as longs. */
    public static long[] toLongs(TensorProto tensor) {
        requireEmbedded(tensor);
        int n = Math.toIntExact(elementCount(shape(tensor)));
        long[] out = new long[n];
        switch (tensor.getDataType()) {
            case DataType.INT64_VALUE -> {
                if (!tensor.getRawData().isEmpty()) {
                    rawLittleEndian(tensor, n, Long.BYTES).asLongBuffer().get(out);
                } else {
                    requireCount(tensor, tensor.getInt64DataCount(), n);
                    for (int i = 0; i < n; i++) {
                        out[i] = tensor.getInt64Data(i);
                    }
                }
            }
            case DataType.INT32_VALUE -> {
                if (!tensor.getRawData().isEmpty()) {
                    int[] ints = new int[n];
                    rawLittleEndian(tensor, n, Integer.BYTES).asIntBuffer().get(ints);
                    for (int i = 0; i < n; i++) {
                        out[i] = ints[i];
                    }
                } else {
                    requireCount(tensor, tensor.getInt32DataCount(), n);
                    for (int i = 0; i < n; i++) {
                        out[i] = tensor.getInt32Data(i);
                    }
                }
            }
            default -> throw new IllegalArgumentException("tensor '" + tensor.getName() + "' has data type "
                    + DataType.forNumber(tensor.getDataType()) + ", expected INT64 or INT32");
        }
        return out;
    }

    public static FloatTensor toFloatTensor(TensorProto tensor) {
        return new FloatTensor(toFloats(tensor), shape(tensor));
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static void requireSize(String name, int length, long[] shape) {
        if (elementCount(shape) != length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " holds " + elementCount(shape) + " elements but " + length + " were given");
        }
    }

    private static void requireEmbedded(TensorProto tensor) {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalArgumentException("tensor '" + tensor.getName()
                    + "' keeps its data in an external file, which is not supported");
        }
    }

    private static void requireCount(TensorProto tensor, int count, int expected) {
        if (count != expected) {
            throw new IllegalArgumentException("tensor '" + tensor.getName() + "' has " + count
                    + " values but its shape " + Arrays.toString(shape(tensor)) + " needs " + expected);
        }
    }

    private static ByteBuffer rawLittleEndian(TensorProto tensor, int n, int bytesPerValue) {
        ByteString raw = tensor.getRawData();
        if (raw.size() != (long) n * bytesPerValue) {
            throw new IllegalArgumentException("tensor '" + tensor.getName() + "' has " + raw.size()
                    + " raw bytes but its shape " + Arrays.toString(shape(tensor)) + " needs " + (long) n * bytesPerValue);
        }
        return raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
}
