package dev.forger.graph.autodiff;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.forger.graph.onnx.FloatTensor;
import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.Tensors;
import dev.forger.graph.onnx.ValueInfo;
import java.util.Random;

/** Random tensors and small model skeletons for the gradient tests. */
public final class TestNets {
    private final Random random;

    public TestNets(long seed) {
        this.random = new Random(seed);
    }

    /** Uniform in [-1, 1): the range of images inside the system. */
    public FloatTensor uniform(long... shape) {
        float[] data = new float[(int) Tensors.elementCount(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat() * 2 - 1;
        }
        return new FloatTensor(data, shape);
    }

    /** Gaussian with the given standard deviation (weights: about 1/sqrt(fan-in)). */
    public float[] gaussian(double std, long... shape) {
        float[] data = new float[(int) Tensors.elementCount(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextGaussian() * std);
        }
        return data;
    }

    /** Uniform in [lo, hi). */
    public float[] uniformValues(double lo, double hi, int n) {
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) (lo + random.nextDouble() * (hi - lo));
        }
        return data;
    }

    /** A model with a float input x [N, dims...] and a float output y of unrecorded shape. */
    public static ModelBuilder withInput(long... dims) {
        return new ModelBuilder("test").input(ValueInfo.batchedFloat("x", dims))
                .output(new ValueInfo("y", DataType.FLOAT_VALUE, null));
    }

    /** Adds Conv weights [out, in, k, k] (and a bias when asked) with He-like scale; returns the weight name. */
    public String conv(ModelBuilder b, String name, int out, int in, int k, boolean bias) {
        b.initializer(name, gaussian(Math.sqrt(2.0 / (in * k * k)), out, in, k, k), out, in, k, k);
        if (bias) {
            b.initializer(name + "_b", gaussian(0.1, out), out);
        }
        return name;
    }

    /** Adds inference BatchNormalization parameters scale/bias/mean/var [c] under name_*. */
    public void batchNorm(ModelBuilder b, String name, int c) {
        b.initializer(name + "_scale", uniformValues(0.5, 1.5, c), c);
        b.initializer(name + "_bias", gaussian(0.1, c), c);
        b.initializer(name + "_mean", gaussian(0.1, c), c);
        b.initializer(name + "_var", uniformValues(0.5, 2.0, c), c);
    }
}
