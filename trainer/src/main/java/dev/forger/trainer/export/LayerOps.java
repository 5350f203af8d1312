package dev.forger.trainer.export;

import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.NodeBuilder;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One mapping per DL4J layer type, each emitting the ONNX nodes that compute the layer in
 * inference mode, followed by the layer's own activation when it has one:
 * <ul>
 *   <li>{@link ConvolutionLayer} → Conv (weights [out, in, kh, kw], as DL4J stores them);</li>
 *   <li>{@link Deconvolution2D} → ConvTranspose (weights [in, out, kh, kw]: DL4J's layout is
 *       ONNX's, no kernel flip);</li>
 *   <li>{@link BatchNormalization} → BatchNormalization with the running mean and variance;</li>
 *   <li>{@link DenseLayer} → MatMul (+ Add for the bias) with W [nIn, nOut];</li>
 *   <li>{@link OutputLayer} → the same as a dense layer; its loss function is training-only. With
 *       {@link Context#logits()} a final softmax is left out, so the graph ends in the logits;</li>
 *   <li>{@link SubsamplingLayer} with max pooling → MaxPool (kernel, strides, explicit pads);</li>
 *   <li>{@link ActivationLayer} → the activation's operator ({@link ActivationOps}).</li>
 * </ul>
 * Layer types are matched exactly, not by {@code instanceof}: a subclass (depthwise, separable,
 * 1-D convolution...) computes something else and is refused.
 *
 * <p>Dense layers use MatMul + Add rather than one Gemm: the two are equivalent for ONNX Runtime,
 * and MatMul keeps the exported graph independent of how a consumer interprets Gemm's transpose
 * flags (the gradient derivation in particular).
 */
final class LayerOps {
    private LayerOps() {}

    /**
     * Where a layer is emitted.
     *
     * @param inputShape the layer's input shape for one sample (after its preprocessor), batch first
     * @param logits     leave out the softmax of an output layer (the graph then ends in its logits)
     */
    record Context(ModelBuilder b, int index, String label, Map<String, INDArray> params, long[] inputShape,
                   boolean logits) {
        String name(String suffix) {
            return "layer" + index + "_" + suffix;
        }

        /** Adds a parameter as a float initializer of the given shape and returns its name. */
        String weight(String key, String onnxName, long... shape) {
            INDArray p = params.get(key);
            if (p == null) {
                throw new UnsupportedLayerException(label + ": parameter '" + key + "' is missing (has "
                        + params.keySet() + ")");
            }
            float[] values = Dl4jArrays.rowMajor(p);
            if (values.length != Arrays.stream(shape).reduce(1, (x, y) -> x * y)) {
                throw new UnsupportedLayerException(label + ": parameter '" + key + "' has shape "
                        + Arrays.toString(p.shape()) + ", expected " + Arrays.toString(shape));
            }
            return constant(onnxName, values, shape);
        }

        /** Adds a float initializer derived from the layer and returns its name. */
        String constant(String onnxName, float[] values, long... shape) {
            String name = name(onnxName);
            b.initializer(name, values, shape);
            return name;
        }
    }

    static void emit(Context c, Layer layer, String input, String output) {
        Class<?> type = layer.getClass();
        if (type == ConvolutionLayer.class || type == Deconvolution2D.class) {
            convolution(c, (ConvolutionLayer) layer, input, output);
        } else if (type == BatchNormalization.class) {
            batchNorm(c, (BatchNormalization) layer, input, output);
        } else if (type == DenseLayer.class) {
            DenseLayer dense = (DenseLayer) layer;
            if (dense.hasLayerNorm()) {
                throw new UnsupportedLayerException(c.label() + ": layer normalisation in a dense layer is not supported");
            }
            dense(c, dense, dense.hasBias(), dense.getActivationFn(), input, output);
        } else if (type == OutputLayer.class) {
            OutputLayer out = (OutputLayer) layer;
            boolean dropSoftmax = c.logits() && ActivationOps.isSoftmax(out.getActivationFn());
            dense(c, out, out.hasBias(), dropSoftmax ? null : out.getActivationFn(), input, output);
        } else if (type == SubsamplingLayer.class) {
            maxPool(c, (SubsamplingLayer) layer, input, output);
        } else if (type == ActivationLayer.class) {
            ActivationOps.emit(c.b(), ((ActivationLayer) layer).getActivationFn(), input, output, c.name("act"),
                    c.label());
        } else {
            throw new UnsupportedLayerException(c.label() + ": layer type " + type.getName() + " is not supported "
                    + "(ConvolutionLayer, Deconvolution2D, BatchNormalization, DenseLayer, OutputLayer, "
                    + "SubsamplingLayer with max pooling, ActivationLayer)");
        }
    }

    private static void convolution(Context c, ConvolutionLayer conf, String input, String output) {
        boolean transposed = conf instanceof Deconvolution2D;
        if (c.inputShape().length != 4) {
            throw new UnsupportedLayerException(c.label() + ": expects NCHW input, gets shape "
                    + Arrays.toString(c.inputShape()));
        }
        ActivationOps.requireSupported(conf.getActivationFn(), c.label());
        ConvGeometry g = ConvGeometry.of(conf, c.inputShape()[2], c.inputShape()[3], c.label());
        long in = conf.getNIn();
        long out = conf.getNOut();
        long[] wShape = transposed ? new long[] {in, out, g.kernel()[0], g.kernel()[1]}
                : new long[] {out, in, g.kernel()[0], g.kernel()[1]};
        String w = c.weight(DefaultParamInitializer.WEIGHT_KEY, "W", wShape);
        NodeBuilder node = conf.hasBias()
                ? c.b().node(transposed ? "ConvTranspose" : "Conv", input, w, c.weight(DefaultParamInitializer.BIAS_KEY, "b", out))
                : c.b().node(transposed ? "ConvTranspose" : "Conv", input, w);
        node.name(c.name(transposed ? "convtranspose" : "conv")).ints("kernel_shape", g.kernel())
                .ints("strides", g.strides()).ints("pads", g.pads()).ints("dilations", 1, 1).attr("group", 1L);
        withActivation(c, conf, node, output);
    }

    private static void batchNorm(Context c, BatchNormalization conf, String input, String output) {
        long n = conf.getNOut();
        String scale;
        String bias;
        if (conf.isLockGammaBeta()) {
            // locked γ and β are configuration constants, not parameters
            scale = c.constant("gamma", filled(n, (float) conf.getGamma()), n);
            bias = c.constant("beta", filled(n, (float) conf.getBeta()), n);
        } else {
            scale = c.weight(BatchNormalizationParamInitializer.GAMMA, "gamma", n);
            bias = c.weight(BatchNormalizationParamInitializer.BETA, "beta", n);
        }
        String mean = c.weight(BatchNormalizationParamInitializer.GLOBAL_MEAN, "mean", n);
        String variance = conf.isUseLogStd() ? varianceFromLogStd(c, n)
                : c.weight(BatchNormalizationParamInitializer.GLOBAL_VAR, "var", n);
        c.b().node("BatchNormalization", input, scale, bias, mean, variance).name(c.name("batchnorm"))
                .attr("epsilon", (float) conf.getEps()).output(output);
    }

    /**
     * With {@code useLogStd} DL4J keeps s = log10 of the running standard deviation and, in
     * inference, normalises by sqrt((10^s)² + eps) (measured: subtracting eps here, as if s were
     * log10 sqrt(var + eps), puts the export 1e-4 off DL4J). So ONNX gets var = (10^s)².
     */
    private static String varianceFromLogStd(Context c, long n) {
        double[] log10Std = Dl4jArrays.rowMajorDoubles(c.params().get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
        if (log10Std.length != n) {
            throw new UnsupportedLayerException(c.label() + ": " + BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                    + " has " + log10Std.length + " values, expected " + n);
        }
        float[] variance = new float[(int) n];
        for (int i = 0; i < n; i++) {
            double std = Math.pow(10, log10Std[i]);
            variance[i] = (float) (std * std);
        }
        return c.constant("var", variance, n);
    }

    /** x·W (+ b), then {@code activation} unless it is null or the identity. */
    private static void dense(Context c, FeedForwardLayer conf, boolean bias, IActivation activationFn, String input,
                              String output) {
        if (c.inputShape().length != 2) {
            throw new UnsupportedLayerException(c.label() + ": expects [N, features] input, gets shape "
                    + Arrays.toString(c.inputShape()) + " (a CnnToFeedForward preprocessor is missing)");
        }
        if (activationFn != null) {
            ActivationOps.requireSupported(activationFn, c.label());
        }
        long in = conf.getNIn();
        long out = conf.getNOut();
        String w = c.weight(DefaultParamInitializer.WEIGHT_KEY, "W", in, out);
        boolean activation = activationFn != null && !ActivationOps.isIdentity(activationFn);
        String product = bias || activation ? c.b().fresh(c.name("matmul")) : output;
        c.b().node("MatMul", input, w).name(c.name("matmul")).output(product);
        String linear = product;
        if (bias) {
            linear = activation ? c.b().fresh(c.name("linear")) : output;
            c.b().node("Add", product, c.weight(DefaultParamInitializer.BIAS_KEY, "b", out)).name(c.name("bias"))
                    .output(linear);
        }
        if (activation) {
            ActivationOps.emit(c.b(), activationFn, linear, output, c.name("act"), c.label());
        }
    }

    /**
     * Max pooling as DL4J computes it in Truncate or Strict mode without padding: partial windows at the end
     * dropped. Padding is refused: what DL4J pads a max pool with is not part of its contract, and ONNX's MaxPool
     * never lets padding win.
     */
    private static void maxPool(Context c, SubsamplingLayer conf, String input, String output) {
        if (conf.getPoolingType() != PoolingType.MAX) {
            throw new UnsupportedLayerException(c.label() + ": pooling type " + conf.getPoolingType()
                    + " is not supported (only MAX)");
        }
        int[] k = conf.getKernelSize();
        int[] s = conf.getStride();
        int[] p = conf.getPadding();
        int[] d = conf.getDilation();
        ConvolutionMode mode = conf.getConvolutionMode() == null ? ConvolutionMode.Truncate : conf.getConvolutionMode();
        if (mode != ConvolutionMode.Truncate && mode != ConvolutionMode.Strict) {
            throw new UnsupportedLayerException(c.label() + ": pooling in convolution mode " + mode
                    + " is not supported (Truncate, Strict)");
        }
        if (d != null && Arrays.stream(d).anyMatch(x -> x != 1)) {
            throw new UnsupportedLayerException(c.label() + ": dilation " + Arrays.toString(d) + " is not supported");
        }
        if (p != null && Arrays.stream(p).anyMatch(x -> x != 0)) {
            throw new UnsupportedLayerException(c.label() + ": max pooling with padding " + Arrays.toString(p)
                    + " is not supported (only 0)");
        }
        if (conf.getCnn2dDataFormat() != null && conf.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw new UnsupportedLayerException(c.label() + ": data format " + conf.getCnn2dDataFormat()
                    + " is not supported (only NCHW)");
        }
        c.b().node("MaxPool", input).name(c.name("maxpool")).ints("kernel_shape", k[0], k[1])
                .ints("strides", s[0], s[1]).ints("pads", 0, 0, 0, 0).output(output);
    }

    /** Finishes a linear node, then applies the layer's in-layer activation (if not identity). */
    private static void withActivation(Context c, BaseLayer conf, NodeBuilder linear, String output) {
        if (ActivationOps.isIdentity(conf.getActivationFn())) {
            linear.output(output);
            return;
        }
        String pre = linear.output(c.b().fresh(c.name("linear")));
        ActivationOps.emit(c.b(), conf.getActivationFn(), pre, output, c.name("act"), c.label());
    }

    private static float[] filled(long n, float value) {
        float[] values = new float[(int) n];
        Arrays.fill(values, value);
        return values;
    }
}
