package dev.forger.trainer.nets;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Floating-point operations of one image's forward pass, counted from a network's layer shapes: two per
 * multiply-add of its convolutions, transposed convolutions and dense layers. BatchNorm, activations and
 * bias additions (a few per element, under 1 % here) are left out, as is usual for such counts.
 */
public final class NetFlops {

    private NetFlops() {
    }

    /** Forward FLOPs per image of {@code net} fed {@code input}. */
    public static long forwardPerImage(MultiLayerNetwork net, InputType input) {
        MultiLayerConfiguration configuration = net.getLayerWiseConfigurations();
        List<InputType> outputs = configuration.getLayerActivationTypes(input);
        long flops = 0;
        for (int i = 0; i < configuration.getConfs().size(); i++) {
            InputType in = i == 0 ? input : outputs.get(i - 1);
            flops += forwardPerImage(configuration.getConf(i).getLayer(), in, outputs.get(i));
        }
        return flops;
    }

    private static long forwardPerImage(Layer layer, InputType in, InputType out) {
        if (layer instanceof Deconvolution2D deconv) {
            // every input pixel scatters a kH×kW×nOut patch: count at the input
            InputType.InputTypeConvolutional input = convolutional(in);
            return 2L * input.getHeight() * input.getWidth() * kernelArea(deconv) * deconv.getNIn() * deconv.getNOut();
        }
        if (layer instanceof ConvolutionLayer conv) {
            // every output pixel gathers a kH×kW×nIn patch: count at the output
            InputType.InputTypeConvolutional output = convolutional(out);
            return 2L * output.getHeight() * output.getWidth() * kernelArea(conv) * conv.getNIn() * conv.getNOut();
        }
        if (layer instanceof DenseLayer dense) {
            return 2L * dense.getNIn() * dense.getNOut();
        }
        return 0;
    }

    private static long kernelArea(ConvolutionLayer conv) {
        return (long) conv.getKernelSize()[0] * conv.getKernelSize()[1];
    }

    private static InputType.InputTypeConvolutional convolutional(InputType type) {
        if (!(type instanceof InputType.InputTypeConvolutional c)) {
            throw new IllegalArgumentException("expected a convolutional activation, got " + type);
        }
        return c;
    }
}
