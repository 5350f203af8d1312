package dev.forger.graph.onnx;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major (C) order: the form weights take on their way into and out
 * of ONNX initializers.
 */
public record FloatTensor(float[] data, long[] shape) {
    public FloatTensor {
        long size = Tensors.elementCount(shape);
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size
                    + " elements but " + data.length + " were given");
        }
    }

    public static FloatTensor of(float[] data, long... shape) {
        return new FloatTensor(data, shape);
    }

    public int rank() {
        return shape.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(data, t.data) && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
