package dev.forger.trainer.nets;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Builds the seed's DCGAN as two DL4J {@link MultiLayerNetwork}s.
 *
 * <p>Discriminator: three strided 4×4 convolutions (stride 2, padding 1, no pooling), BatchNorm and
 * LeakyReLU on all but the first, then a dense layer to one <em>logit</em>. The loss (binary
 * cross-entropy with logits) is computed by the trainer, not by an output layer, so the net's output is
 * exactly what the ONNX export and the service call the logit.
 *
 * <p>Generator: z through a dense projection to baseSize²·4·convDim, reshaped NCHW, BatchNorm + ReLU
 * (Radford et al.: BN everywhere but G's output and D's input), then transposed 4×4 convolutions with
 * BatchNorm + ReLU, the last one to the image channels with tanh.
 *
 * <p>Layers before a BatchNorm have no bias (BN's β makes it redundant). Activations are separate
 * {@link ActivationLayer}s after BatchNorm so the ONNX exporter maps one DL4J layer to one ONNX op.
 */
public final class DcganNets {

    private DcganNets() {
    }

    public static MultiLayerNetwork discriminator(DcganConfig config, long seed) {
        int cd = config.convDim();
        IActivation leaky = new ActivationLReLU(config.leakySlope());
        NeuralNetConfiguration.ListBuilder layers = base(config, seed).list();
        // the first layer sees the image directly: no BatchNorm there (Radford et al.)
        layers.layer(conv(config.channels(), cd, true).activation(leaky).build());
        int[] widths = {cd, 2 * cd, 4 * cd};
        for (int i = 1; i < widths.length; i++) {
            if (config.batchNorm()) {
                layers.layer(conv(widths[i - 1], widths[i], false).activation(Activation.IDENTITY).build());
                layers.layer(new BatchNormalization.Builder().useLogStd(false).build());
                layers.layer(new ActivationLayer.Builder().activation(leaky).build());
            } else {
                layers.layer(conv(widths[i - 1], widths[i], true).activation(leaky).build());
            }
        }
        layers.layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build());
        layers.setInputType(InputType.convolutional(config.imageSize(), config.imageSize(), config.channels()));
        return initialised(layers.build());
    }

    public static MultiLayerNetwork generator(DcganConfig config, long seed) {
        int cd = config.convDim();
        int base = config.baseSize();
        NeuralNetConfiguration.ListBuilder layers = base(config, seed).list();
        layers.layer(new DenseLayer.Builder().nIn(config.zDim()).nOut(base * base * 4 * cd)
                .hasBias(!config.batchNorm()).activation(Activation.IDENTITY).build());
        // [N, 4cd·b·b] → [N, 4cd, b, b], row-major like PyTorch's view()
        layers.inputPreProcessor(1, new FeedForwardToCnnPreProcessor(base, base, 4 * cd));
        if (config.batchNorm()) {
            layers.layer(new BatchNormalization.Builder().useLogStd(false).build());
        }
        layers.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
        int[] widths = {4 * cd, 2 * cd, cd};
        for (int i = 1; i < widths.length; i++) {
            layers.layer(deconv(widths[i - 1], widths[i], !config.batchNorm()).activation(Activation.IDENTITY).build());
            if (config.batchNorm()) {
                layers.layer(new BatchNormalization.Builder().useLogStd(false).build());
            }
            layers.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
        }
        layers.layer(deconv(cd, config.channels(), true).activation(Activation.TANH).build());
        layers.setInputType(InputType.feedForward(config.zDim()));
        return initialised(layers.build());
    }

    private static NeuralNetConfiguration.Builder base(DcganConfig config, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(new WeightInitDistribution(new NormalDistribution(0, config.weightStd())))
                .updater(new Adam(config.learningRate(), config.beta1(), config.beta2(), 1e-8));
    }

    private static ConvolutionLayer.Builder conv(int in, int out, boolean bias) {
        return new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1)
                .convolutionMode(ConvolutionMode.Truncate).nIn(in).nOut(out).hasBias(bias);
    }

    private static Deconvolution2D.Builder deconv(int in, int out, boolean bias) {
        return new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1)
                .convolutionMode(ConvolutionMode.Truncate).nIn(in).nOut(out).hasBias(bias);
    }

    private static MultiLayerNetwork initialised(MultiLayerConfiguration configuration) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration);
        net.init();
        return net;
    }
}
