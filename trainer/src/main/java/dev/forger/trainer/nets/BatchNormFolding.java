package dev.forger.trainer.nets;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The discriminator as it computes in inference mode, rewritten without BatchNorm: each convolution → BatchNorm
 * (running statistics) → activation becomes one convolution with bias and that activation,
 * {@code W' = W · γ/√(σ² + ε)} per output channel and {@code b' = β − γ·μ/√(σ² + ε)}. The folded net computes the
 * same function as {@code d.output(x, false)}, but in training mode too, since it has no batch statistics left: it
 * can be trained as it is served.
 */
public final class BatchNormFolding {

    private BatchNormFolding() {
    }

    /**
     * @param d      a discriminator built by {@link DcganNets#discriminator} with BatchNorm
     * @param config its configuration
     * @param seed   seeds the folded net's (unused, overwritten) initial weights; must not be 0
     * @return a discriminator of {@code config.withBatchNorm(false)} holding d's inference-mode function
     */
    public static MultiLayerNetwork foldDiscriminator(MultiLayerNetwork d, DcganConfig config, long seed) {
        if (!config.batchNorm()) {
            throw new IllegalArgumentException("the discriminator has no BatchNorm to fold");
        }
        MultiLayerNetwork folded = DcganNets.discriminator(config.withBatchNorm(false), seed);
        int source = 0;
        for (int target = 0; target < folded.getnLayers(); target++) {
            Map<String, INDArray> to = folded.getLayer(target).paramTable();
            Layer layer = d.getLayer(source);
            if (layer.conf().getLayer() instanceof DenseLayer) {
                copy(layer.paramTable(), to);
                source++;
            } else if (source + 1 < d.getnLayers()
                    && d.getLayer(source + 1).conf().getLayer() instanceof BatchNormalization bn) {
                requireLayout(d, source);
                fold(layer.paramTable(), d.getLayer(source + 1).paramTable(), bn.getEps(), to);
                source += 3; // convolution, BatchNorm, activation
            } else if (layer.conf().getLayer() instanceof ConvolutionLayer) {
                copy(layer.paramTable(), to);
                source++;
            } else {
                throw new IllegalArgumentException("layer " + source + " (" + layer.conf().getLayer().getClass()
                        .getSimpleName() + ") is not where a discriminator of DcganNets has it");
            }
        }
        if (source != d.getnLayers()) {
            throw new IllegalArgumentException("folded " + source + " of " + d.getnLayers() + " layers");
        }
        return folded;
    }

    private static void requireLayout(MultiLayerNetwork d, int conv) {
        if (!(d.getLayer(conv).conf().getLayer() instanceof ConvolutionLayer)
                || conv + 2 >= d.getnLayers() || !(d.getLayer(conv + 2).conf().getLayer() instanceof ActivationLayer)) {
            throw new IllegalArgumentException("expected convolution → BatchNorm → activation at layer " + conv);
        }
        BatchNormalization bn = (BatchNormalization) d.getLayer(conv + 1).conf().getLayer();
        if (bn.isUseLogStd() || bn.isLockGammaBeta()) {
            throw new IllegalArgumentException("layer " + (conv + 1) + ": only BatchNorm with γ, β and a variance folds");
        }
    }

    private static void copy(Map<String, INDArray> from, Map<String, INDArray> to) {
        for (Map.Entry<String, INDArray> p : to.entrySet()) {
            p.getValue().assign(from.get(p.getKey()));
        }
    }

    private static void fold(Map<String, INDArray> conv, Map<String, INDArray> bn, double eps, Map<String, INDArray> to) {
        INDArray gamma = bn.get(BatchNormalizationParamInitializer.GAMMA).reshape(-1);
        INDArray beta = bn.get(BatchNormalizationParamInitializer.BETA).reshape(-1);
        INDArray mean = bn.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(-1);
        INDArray variance = bn.get(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(-1);
        // in double: the folded weights are rounded to float once, at the end
        INDArray scale = gamma.castTo(DataType.DOUBLE)
                .div(Transforms.sqrt(variance.castTo(DataType.DOUBLE).add(eps), false));
        INDArray w = conv.get(DefaultParamInitializer.WEIGHT_KEY).castTo(DataType.DOUBLE);
        long out = w.size(0);
        INDArray scaledW = w.reshape(out, -1).mulColumnVector(scale.reshape(out, 1)).reshape(w.shape());
        INDArray bias = beta.castTo(DataType.DOUBLE)
                .sub(scale.mul(mean.castTo(DataType.DOUBLE)));
        to.get(DefaultParamInitializer.WEIGHT_KEY).assign(scaledW.castTo(to.get(DefaultParamInitializer.WEIGHT_KEY).dataType()));
        INDArray b = to.get(DefaultParamInitializer.BIAS_KEY);
        b.assign(bias.reshape(b.shape()).castTo(b.dataType()));
        Nd4j.getExecutioner().commit();
    }
}
