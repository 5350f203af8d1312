package dev.forger.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.forger.graph.onnx.Attributes;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.trainer.nets.DcganConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class ExportNetworksTest {

    @TempDir
    Path dir;

    /** ORT's output for {@code x} against DL4J's inference-mode output: the largest absolute difference. */
    private double maxDiff(OnnxModel model, MultiLayerNetwork net, String input, String output, float[] x,
                           long... shape) throws Exception {
        Path file = dir.resolve(model.graph().getName() + "-" + shape[0] + ".onnx");
        model.write(file);
        float[] expected = Dl4jArrays.rowMajor(net.output(Nd4j.create(x, shape, 'c'), false));
        try (OrtModel ort = OrtModel.open(file)) {
            OrtModel.Tensor actual = ort.run(Map.of(input, new OrtModel.Tensor(x, shape))).get(output);
            assertThat(actual.data()).hasSameSizeAs(expected);
            double max = 0;
            for (int i = 0; i < expected.length; i++) {
                max = Math.max(max, Math.abs(actual.data()[i] - expected[i]));
            }
            return max;
        }
    }

    private static float[] uniform(long seed, int count) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (2 * random.nextDouble() - 1);
        }
        return values;
    }

    @ParameterizedTest(name = "batchNorm={0}")
    @ValueSource(booleans = {true, false})
    void generatorAndDiscriminatorComputeWhatDl4jComputesForAnyBatchSize(boolean batchNorm) throws Exception {
        DcganConfig config = ExportFixtures.config(batchNorm);
        MultiLayerNetwork g = ExportFixtures.generator(config, 1);
        MultiLayerNetwork d = ExportFixtures.discriminator(config, 2);
        OnnxModel gm = DcganOnnxExporter.generator(g, config, Map.of("name", "t", "version", "v1"));
        OnnxModel dm = DcganOnnxExporter.discriminator(d, config, Map.of("name", "t", "version", "v1"));

        assertThat(gm.inputs()).singleElement().hasToString("z: FLOAT[N,8]");
        assertThat(gm.outputs()).singleElement().hasToString("image: FLOAT[N,1,32,32]");
        assertThat(dm.inputs()).singleElement().hasToString("image: FLOAT[N,1,32,32]");
        assertThat(dm.outputs()).singleElement().hasToString("logit: FLOAT[N,1]");
        assertThat(gm.metadata()).containsEntry("name", "t").containsEntry("version", "v1")
                .containsEntry("producer", "forger-trainer").containsEntry("forger.network", "generator");
        assertThat(dm.metadata()).containsEntry("forger.network", "discriminator");
        assertThat(dm.proto().getProducerName()).isEqualTo("forger-trainer");
        for (int batch : new int[] {1, 3}) {
            float[] z = uniform(batch, batch * 8);
            float[] images = Dl4jArrays.rowMajor(g.output(Nd4j.create(z, new long[] {batch, 8}, 'c'), false));
            assertThat(maxDiff(gm, g, "z", "image", z, batch, 8)).as("generator, batch %d", batch).isLessThan(1e-4);
            assertThat(maxDiff(dm, d, "image", "logit", images, batch, 1, 32, 32))
                    .as("discriminator on generated images, batch %d", batch).isLessThan(1e-4);
            assertThat(maxDiff(dm, d, "image", "logit", uniform(batch + 10, batch * 1024), batch, 1, 32, 32))
                    .as("discriminator on noise, batch %d", batch).isLessThan(1e-4);
        }
    }

    @Test
    void writesTheLayersAsTheConfigurationSaysNotAsTheDcganUsuallyIs() {
        DcganConfig config = ExportFixtures.config(true);
        OnnxModel dm = DcganOnnxExporter.discriminator(ExportFixtures.discriminator(config, 2), config, Map.of());

        List<String> ops = dm.nodes().stream().map(NodeProto::getOpType).toList();
        assertThat(ops).containsExactly("Conv", "LeakyRelu", "Conv", "BatchNormalization", "LeakyRelu",
                "Conv", "BatchNormalization", "LeakyRelu", "Flatten", "MatMul", "Add");
        NodeProto conv = dm.nodes().get(0);
        assertThat(Attributes.of(conv).getInts("kernel_shape")).containsExactly(4, 4);
        assertThat(Attributes.of(conv).getInts("strides")).containsExactly(2, 2);
        assertThat(Attributes.of(conv).getInts("pads")).containsExactly(1, 1, 1, 1);
        assertThat(Attributes.of(dm.nodes().get(1)).getFloat("alpha", 0f)).isEqualTo(0.2f);
        assertThat(Attributes.of(dm.nodes().get(3)).getFloat("epsilon", 0f)).isEqualTo(1e-5f);
        assertThat(dm.floatInitializer("layer0_W").shape()).containsExactly(4, 1, 4, 4);
        assertThat(dm.floatInitializer("layer7_W").shape()).containsExactly(16 * 4 * 4, 1);
    }

    private static MultiLayerNetwork net(InputType input, Layer... layers) {
        var list = new NeuralNetConfiguration.Builder().seed(3).weightInit(WeightInit.XAVIER).list();
        for (Layer layer : layers) {
            list.layer(layer);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.setInputType(input).build());
        net.init();
        return net;
    }

    private static OnnxModel export(MultiLayerNetwork net, long... inputDims) {
        return MultiLayerOnnxExporter.export(net, new MultiLayerOnnxExporter.Signature("t", "x", inputDims, "y"),
                Map.of());
    }

    @Test
    void mapsSameModeWithSymmetricPaddingAndLogStdBatchNorm() throws Exception {
        ExportFixtures.config(true); // native backend
        MultiLayerNetwork net = ExportFixtures.withBatchNormStatistics(net(InputType.convolutional(8, 8, 2),
                new ConvolutionLayer.Builder(3, 3).stride(1, 1).convolutionMode(ConvolutionMode.Same).nOut(3)
                        .activation(Activation.SIGMOID).build(),
                new BatchNormalization.Builder().useLogStd(true).eps(1e-3).build(),
                new DenseLayer.Builder().nOut(2).activation(Activation.TANH).build()), 4);

        OnnxModel model = export(net, 2, 8, 8);

        assertThat(Attributes.of(model.nodes().get(0)).getInts("pads")).containsExactly(1, 1, 1, 1);
        assertThat(maxDiff(model, net, "x", "y", uniform(5, 3 * 128), 3, 2, 8, 8)).isLessThan(1e-4);
    }

    @Test
    void aLeNetClassifierExportsAsLogitsOrAsItsSoftmax() throws Exception {
        ExportFixtures.config(true);
        MultiLayerNetwork net = net(InputType.convolutional(16, 16, 1),
                new ConvolutionLayer.Builder(5, 5).nOut(4).activation(Activation.RELU).build(),
                new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build(),
                new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(1, 1).build(),
                new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build(),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(5).activation(Activation.SOFTMAX).build());
        float[] x = uniform(7, 3 * 256);

        OnnxModel probabilities = export(net, 1, 16, 16);
        assertThat(probabilities.nodes().stream().map(NodeProto::getOpType).toList()).containsExactly("Conv", "Relu",
                "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "MatMul", "Add", "Relu", "MatMul", "Add", "Softmax");
        assertThat(Attributes.of(probabilities.nodes().get(5)).getInts("strides")).containsExactly(1, 1);
        assertThat(maxDiff(probabilities, net, "x", "y", x, 3, 1, 16, 16)).isLessThan(1e-5);

        OnnxModel logits = MultiLayerOnnxExporter.export(net,
                new MultiLayerOnnxExporter.Signature("logits", "x", new long[] {1, 16, 16}, "y", true), Map.of());
        assertThat(logits.nodes().get(logits.nodes().size() - 1).getOpType()).isEqualTo("Add");
        Path file = dir.resolve("logits.onnx");
        logits.write(file);
        float[] p = Dl4jArrays.rowMajor(net.output(Nd4j.create(x, new long[] {3, 1, 16, 16}, 'c'), false));
        try (OrtModel ort = OrtModel.open(file)) {
            float[] l = ort.run(Map.of("x", new OrtModel.Tensor(x, new long[] {3, 1, 16, 16}))).get("y").data();
            for (int sample = 0; sample < 3; sample++) {
                double norm = 0;
                for (int c = 0; c < 5; c++) {
                    norm += Math.exp(l[sample * 5 + c]);
                }
                for (int c = 0; c < 5; c++) {
                    assertThat(Math.exp(l[sample * 5 + c]) / norm).as("softmax of the logits is DL4J's output")
                            .isCloseTo(p[sample * 5 + c], org.assertj.core.api.Assertions.within(1e-5));
                }
            }
        }
    }

    @Test
    void refusesWhatItCannotMapNamingTheLayer() {
        ExportFixtures.config(true);
        InputType image = InputType.convolutional(32, 32, 1);
        assertThatThrownBy(() -> export(net(image,
                new ConvolutionLayer.Builder(3, 3).stride(2, 2).convolutionMode(ConvolutionMode.Same).nOut(2).build(),
                new DenseLayer.Builder().nOut(1).build()), 1, 32, 32))
                .isInstanceOf(UnsupportedLayerException.class)
                .hasMessageContaining("layer 0 (ConvolutionLayer").hasMessageContaining("asymmetric");
        assertThatThrownBy(() -> export(net(image,
                new ConvolutionLayer.Builder(3, 3).dilation(2, 2).nOut(2).build(),
                new DenseLayer.Builder().nOut(1).build()), 1, 32, 32))
                .hasMessageContaining("layer 0 (ConvolutionLayer").hasMessageContaining("dilation [2, 2]");
        assertThatThrownBy(() -> export(net(image,
                new ConvolutionLayer.Builder(4, 4).stride(2, 2).nOut(2).build(),
                new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build(),
                new DenseLayer.Builder().nOut(1).build()), 1, 32, 32))
                .hasMessageContaining("layer 1 (SubsamplingLayer").hasMessageContaining("pooling type AVG is not supported");
        assertThatThrownBy(() -> export(net(image,
                new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).padding(1, 1).build(),
                new DenseLayer.Builder().nOut(1).build()), 1, 32, 32))
                .hasMessageContaining("layer 0 (SubsamplingLayer").hasMessageContaining("padding [1, 1]");
        assertThatThrownBy(() -> export(net(InputType.feedForward(4),
                new DenseLayer.Builder().nOut(3).activation(Activation.ELU).build()), 4))
                .hasMessageContaining("layer 0 (DenseLayer").hasMessageContaining("activation");
    }
}
