package dev.forger.trainer.export;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The input gradient of binary cross-entropy with logits on a DL4J discriminator, by central
 * finite differences of its inference-mode forward pass in double precision: the reference for
 * networks whose DL4J backward pass cannot be trusted in inference mode (BatchNormalization).
 *
 * <p>Samples do not interact in inference mode, so one forward pass steps the same coordinate of
 * every sample at once. A difference is dropped (NaN) for a sample when, between x - h and x + h,
 * any ReLU/LeakyReLU output of that sample changes sign: the step then crosses a kink and the
 * difference quotient mixes the slopes of both sides, while the derived gradient takes one.
 */
final class FiniteDifferenceGradient {
    static final double STEP = 1e-4;

    private final MultiLayerNetwork net;
    /** Indices of the layers whose output passes through a ReLU-type activation. */
    private final List<Integer> kinkLayers = new ArrayList<>();

    FiniteDifferenceGradient(MultiLayerNetwork discriminator) {
        this.net = discriminator.convertDataType(DataType.DOUBLE);
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayerWiseConfigurations().getConf(i).getLayer();
            if (layer instanceof BaseLayer base && ActivationOps.hasKink(base.getActivationFn())
                    || layer instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer act
                    && ActivationOps.hasKink(act.getActivationFn())) {
                kinkLayers.add(i);
            }
        }
    }

    /**
     * @param images      [N, C, H, W] row-major
     * @param targets     per-sample BCE target
     * @param coordinates flat indices into one sample's C·H·W values
     * @return [sample][k]: dLoss/dx at coordinate k of that sample, NaN where the step crosses a kink
     */
    double[][] gradient(float[] images, long[] shape, double[] targets, int[] coordinates) {
        int n = (int) shape[0];
        int perSample = images.length / n;
        double[] x = new double[images.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = images[i];
        }
        double[][] result = new double[n][coordinates.length];
        for (int k = 0; k < coordinates.length; k++) {
            Pass plus = forward(step(x, n, perSample, coordinates[k], STEP), shape);
            Pass minus = forward(step(x, n, perSample, coordinates[k], -STEP), shape);
            for (int s = 0; s < n; s++) {
                boolean crossesKink = false;
                for (int layer = 0; layer < kinkLayers.size() && !crossesKink; layer++) {
                    crossesKink = signChanges(plus.kinkOutputs.get(layer), minus.kinkOutputs.get(layer), s, n);
                }
                result[s][k] = crossesKink ? Double.NaN
                        : (loss(plus.logits[s], targets[s]) - loss(minus.logits[s], targets[s])) / (2 * STEP);
            }
        }
        net.clear();
        return result;
    }

    private record Pass(double[] logits, List<double[]> kinkOutputs) {}

    private Pass forward(double[] x, long[] shape) {
        INDArray input = Nd4j.create(x, shape, 'c');
        List<INDArray> activations = net.feedForward(input, false);
        List<double[]> kinks = new ArrayList<>(kinkLayers.size());
        for (int layer : kinkLayers) {
            kinks.add(Dl4jArrays.rowMajorDoubles(activations.get(layer + 1)));
        }
        return new Pass(Dl4jArrays.rowMajorDoubles(activations.get(activations.size() - 1)), kinks);
    }

    private static double[] step(double[] x, int n, int perSample, int coordinate, double h) {
        double[] stepped = x.clone();
        for (int s = 0; s < n; s++) {
            stepped[s * perSample + coordinate] += h;
        }
        return stepped;
    }

    private static boolean signChanges(double[] a, double[] b, int sample, int n) {
        int perSample = a.length / n;
        for (int i = sample * perSample; i < (sample + 1) * perSample; i++) {
            if (Math.signum(a[i]) != Math.signum(b[i])) {
                return true;
            }
        }
        return false;
    }

    /** BCE with logits, softplus(z) - t z, in its overflow-free form. */
    static double loss(double logit, double target) {
        return Math.max(logit, 0) + Math.log1p(Math.exp(-Math.abs(logit))) - target * logit;
    }
}
