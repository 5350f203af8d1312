package dev.forger.trainer.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.graph.onnx.Tensors;
import dev.forger.trainer.NativeBackend;
import dev.forger.trainer.Seeds;
import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.nets.DcganNets;
import dev.forger.trainer.training.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Small random DCGANs, saved checkpoints and corrupting exporters for the export tests (public for the cli tests). */
public final class ExportFixtures {
    private ExportFixtures() {}

    /**
     * A tiny DCGAN (z 8, conv width 4, grey) with weights of std 0.2, large enough that every layer
     * matters to the output.
     */
    public static DcganConfig config(boolean batchNorm) {
        NativeBackend.init();
        return new DcganConfig(8, 1, 32, 4, batchNorm, 2e-4, 0.5, 0.999, 0.2, 0.2);
    }

    public static MultiLayerNetwork generator(DcganConfig config, long seed) {
        return withBatchNormStatistics(DcganNets.generator(config, seed), seed);
    }

    public static MultiLayerNetwork discriminator(DcganConfig config, long seed) {
        return withBatchNormStatistics(DcganNets.discriminator(config, seed), seed);
    }

    /**
     * Gives every BatchNormalization layer γ ∈ [0.5, 1.5], β ∈ [-0.3, 0.3], running mean ∈ [-0.2, 0.2]
     * and running variance ∈ [0.5, 2] (or the log10 std of that): with the initial (1, 0, 0, 1) a swapped or ignored
     * parameter would go unnoticed.
     */
    static MultiLayerNetwork withBatchNormStatistics(MultiLayerNetwork net, long seed) {
        Random random = new Random(seed * 31 + 7);
        for (int i = 0; i < net.getnLayers(); i++) {
            Map<String, INDArray> params = net.getLayer(i).paramTable();
            if (params.containsKey(BatchNormalizationParamInitializer.GLOBAL_MEAN)) {
                fill(params.get(BatchNormalizationParamInitializer.GAMMA), random, 0.5, 1.5);
                fill(params.get(BatchNormalizationParamInitializer.BETA), random, -0.3, 0.3);
                fill(params.get(BatchNormalizationParamInitializer.GLOBAL_MEAN), random, -0.2, 0.2);
                if (params.containsKey(BatchNormalizationParamInitializer.GLOBAL_VAR)) {
                    fill(params.get(BatchNormalizationParamInitializer.GLOBAL_VAR), random, 0.5, 2.0);
                } else { // useLogStd: log10 of the standard deviation, the same range of variances
                    fill(params.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD), random,
                            Math.log10(Math.sqrt(0.5)), Math.log10(Math.sqrt(2.0)));
                }
            }
        }
        return net;
    }

    private static void fill(INDArray view, Random random, double low, double high) {
        for (long i = 0; i < view.length(); i++) {
            view.putScalar(i, low + (high - low) * random.nextDouble());
        }
    }

    /** Saves random nets as epoch {@code epoch} of a run in {@code runDir}. */
    public static Path saveCheckpoint(Path runDir, boolean batchNorm, int epoch) throws IOException {
        DcganConfig config = config(batchNorm);
        return new Checkpoint(generator(config, 1), discriminator(config, 2),
                new Checkpoint.State(epoch, epoch * 10, 16, 5, Seeds.SCHEME, config)).save(runDir);
    }

    /** An exporter that scales the first weight of {@code file} by 1.01 before writing it. */
    public static BundleExporter corrupting(String file) {
        return new BundleExporter((name, model) -> name.equals(file) ? scaledFirstWeight(model, 1.01f) : model,
                new BundleVerifier());
    }

    /** An exporter that scales the gradient graph's {@code grad} output by {@code factor}. */
    static BundleExporter scalingGradient(float factor) {
        return new BundleExporter((name, model) -> name.equals(BundleFiles.GRADIENT) ? scaledOutput(model,
                DcganOnnxExporter.GRAD, factor) : model, new BundleVerifier());
    }

    /** An exporter whose gradient graph loses its {@code target} input, so ONNX Runtime refuses to load it. */
    static BundleExporter breakingGradientGraph() {
        return new BundleExporter((name, model) -> {
            if (!name.equals(BundleFiles.GRADIENT)) {
                return model;
            }
            ModelProto.Builder proto = model.proto().toBuilder();
            proto.getGraphBuilder().removeInput(proto.getGraph().getInputCount() - 1);
            return OnnxModel.of(proto.build());
        }, new BundleVerifier());
    }

    static OnnxModel scaledFirstWeight(OnnxModel model, float factor) {
        ModelProto.Builder proto = model.proto().toBuilder();
        TensorProto w = proto.getGraph().getInitializer(0);
        float[] values = Tensors.toFloats(w);
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
        proto.getGraphBuilder().setInitializer(0, Tensors.floats(w.getName(), values, Tensors.shape(w)));
        return OnnxModel.of(proto.build());
    }

    /** Renames the node output {@code output} and multiplies it by {@code factor} into the old name. */
    static OnnxModel scaledOutput(OnnxModel model, String output, float factor) {
        ModelProto.Builder proto = model.proto().toBuilder();
        var graph = proto.getGraphBuilder();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto node = graph.getNode(i);
            if (node.getOutputList().contains(output)) {
                graph.setNode(i, node.toBuilder().setOutput(node.getOutputList().indexOf(output), output + "_raw"));
            }
        }
        graph.addInitializer(Tensors.scalar(output + "_factor", factor));
        graph.addNode(NodeProto.newBuilder().setOpType("Mul").addInput(output + "_raw").addInput(output + "_factor")
                .addOutput(output));
        return OnnxModel.of(proto.build());
    }
}
