package dev.forger.trainer.export;

import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.ValueInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Maps a DL4J {@link MultiLayerNetwork} to an ONNX model, layer by layer, as the network computes
 * in inference mode ({@code output(x, false)}): BatchNormalization with its running statistics,
 * dropout off.
 *
 * <p>Input preprocessors: {@code CnnToFeedForward} → Flatten (row-major NCHW, as DL4J flattens),
 * {@code FeedForwardToCnn} → Reshape to a constant [-1, C, H, W]. Layers: see {@link LayerOps}.
 * Anything else fails with an {@link UnsupportedLayerException} naming the layer.
 *
 * <p>The graph has one input with a dynamic batch dimension and one output; intermediate values
 * are named {@code layerI_...} after the DL4J layer that computes them, weights
 * {@code layerI_W}, {@code layerI_b}, {@code layerI_gamma}, ... The output's shape comes from a
 * one-sample forward pass of the network itself, so it is what DL4J produces, not a guess.
 */
public final class MultiLayerOnnxExporter {

    /** Who wrote the models, in {@code producer_name} and the {@code producer} metadata entry. */
    public static final String PRODUCER = "forger-trainer";

    /**
     * What the exported graph is called and what goes in and out.
     *
     * @param graphName  the ONNX graph's name
     * @param input      the input's name
     * @param inputDims  the input's shape without the batch dimension, e.g. [zDim] or [C, H, W]
     * @param output     the output's name
     * @param logits     end in the logits: a softmax of the final output layer is left out
     */
    public record Signature(String graphName, String input, long[] inputDims, String output, boolean logits) {
        public Signature {
            inputDims = inputDims.clone();
        }

        public Signature(String graphName, String input, long[] inputDims, String output) {
            this(graphName, input, inputDims, output, false);
        }

        @Override
        public long[] inputDims() {
            return inputDims.clone();
        }
    }

    private MultiLayerOnnxExporter() {}

    /**
     * @param metadata custom metadata written into the model ({@code metadata_props})
     * @throws UnsupportedLayerException naming the first layer, preprocessor or setting that cannot be mapped
     */
    public static OnnxModel export(MultiLayerNetwork net, Signature signature, Map<String, String> metadata) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        List<long[]> shapes = activationShapes(net, signature.inputDims());
        ModelBuilder b = new ModelBuilder(signature.graphName()).producer(PRODUCER)
                .input(ValueInfo.batchedFloat(signature.input(), signature.inputDims()));
        String current = signature.input();
        int last = net.getnLayers() - 1;
        for (int i = 0; i <= last; i++) {
            Layer layer = conf.getConf(i).getLayer();
            String label = "layer " + i + " (" + layer.getClass().getSimpleName()
                    + (layer.getLayerName() == null ? "" : " '" + layer.getLayerName() + "'") + ")";
            long[] inputShape = shapes.get(i);
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (pre != null) {
                current = preprocess(b, pre, current, i, label);
                inputShape = preprocessedShape(pre, inputShape);
            }
            String out = i == last ? signature.output() : b.fresh("layer" + i + "_out");
            LayerOps.emit(new LayerOps.Context(b, i, label, net.getLayer(i).paramTable(), inputShape,
                    signature.logits() && i == last), layer,
                    current, out);
            current = out;
        }
        long[] outShape = shapes.get(shapes.size() - 1);
        b.output(ValueInfo.batchedFloat(signature.output(), Arrays.copyOfRange(outShape, 1, outShape.length)));
        b.metadata("producer", PRODUCER);
        metadata.forEach(b::metadata);
        return b.build();
    }

    /** Shapes of the network's input and of every layer's output, from one zero sample. */
    private static List<long[]> activationShapes(MultiLayerNetwork net, long[] inputDims) {
        long[] shape = new long[inputDims.length + 1];
        shape[0] = 1;
        System.arraycopy(inputDims, 0, shape, 1, inputDims.length);
        INDArray probe = Nd4j.zeros(net.params().dataType(), shape);
        try {
            return net.feedForward(probe, false).stream().map(INDArray::shape).toList();
        } catch (RuntimeException e) {
            throw new UnsupportedLayerException("the network does not accept input of shape " + Arrays.toString(shape)
                    + ": " + e.getMessage());
        } finally {
            net.clear();
        }
    }

    private static String preprocess(ModelBuilder b, InputPreProcessor pre, String input, int i, String label) {
        if (pre.getClass() == CnnToFeedForwardPreProcessor.class) {
            CnnToFeedForwardPreProcessor flatten = (CnnToFeedForwardPreProcessor) pre;
            if (flatten.getFormat() != null && flatten.getFormat() != CNN2DFormat.NCHW) {
                throw new UnsupportedLayerException(label + ": input preprocessor flattens " + flatten.getFormat()
                        + " data; only NCHW is supported");
            }
            return b.node("Flatten", input).name("layer" + i + "_flatten").attr("axis", 1L)
                    .output(b.fresh("layer" + i + "_flat"));
        }
        if (pre.getClass() == FeedForwardToCnnPreProcessor.class) {
            FeedForwardToCnnPreProcessor reshape = (FeedForwardToCnnPreProcessor) pre;
            String shape = b.int64Constant("layer" + i + "_shape", -1, reshape.getNumChannels(),
                    reshape.getInputHeight(), reshape.getInputWidth());
            return b.node("Reshape", input, shape).name("layer" + i + "_reshape")
                    .output(b.fresh("layer" + i + "_nchw"));
        }
        throw new UnsupportedLayerException(label + ": input preprocessor " + pre.getClass().getSimpleName()
                + " is not supported (CnnToFeedForwardPreProcessor, FeedForwardToCnnPreProcessor)");
    }

    private static long[] preprocessedShape(InputPreProcessor pre, long[] shape) {
        if (pre instanceof FeedForwardToCnnPreProcessor r) {
            return new long[] {shape[0], r.getNumChannels(), r.getInputHeight(), r.getInputWidth()};
        }
        long features = 1;
        for (int d = 1; d < shape.length; d++) {
            features *= shape[d];
        }
        return new long[] {shape[0], features};
    }
}
