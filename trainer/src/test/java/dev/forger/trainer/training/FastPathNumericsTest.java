package dev.forger.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.trainer.NativeBackend;
import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.nets.DcganNets;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The fast path computes what DL4J's built-in layers compute.
 *
 * <p>DL4J's oneDNN helpers work in float only (for double they step aside), so they cannot be gradient-checked
 * directly. The chain instead: DL4J's built-in layers, in double, pass {@link GradientCheckUtil}'s central
 * differences on the DCGAN's own layer stacks; the helpers' float gradients agree with those double ones to
 * float precision; and the workspace passes give bit for bit what fresh buffers give.
 */
class FastPathNumericsTest {

    static final DcganConfig CONFIG = DcganConfig.defaults(3).withConvDim(8);
    static final int BATCH = 8;

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    @Test
    void workspacePassesGiveExactlyWhatFreshBuffersGive() {
        MultiLayerNetwork[] reused = {DcganNets.generator(CONFIG, 1), DcganNets.discriminator(CONFIG, 2)};
        MultiLayerNetwork[] fresh = {DcganNets.generator(CONFIG, 1), DcganNets.discriminator(CONFIG, 2)};
        GanStep withWorkspaces = new GanStep(reused[0], reused[1], WorkspacePass.Memory.WORKSPACE);
        GanStep withFreshBuffers = new GanStep(fresh[0], fresh[1], WorkspacePass.Memory.DETACHED);
        INDArray real = images(5);
        for (int i = 0; i < 3; i++) {
            INDArray zForD = new LatentSampler(10 + i, CONFIG.zDim()).next(BATCH);
            INDArray zForG = new LatentSampler(20 + i, CONFIG.zDim()).next(BATCH);
            GanStep.Stats a = withWorkspaces.run(real, zForD, zForG, i, 1);
            GanStep.Stats b = withFreshBuffers.run(real, zForD, zForG, i, 1);
            assertThat(a).isEqualTo(b);
        }
        assertThat(reused[0].params()).isEqualTo(fresh[0].params());
        assertThat(reused[1].params()).isEqualTo(fresh[1].params());
    }

    @Test
    void workspaceForwardAndBackwardMatchDl4jsFeedForwardAndBackprop() {
        MultiLayerNetwork mine = DcganNets.discriminator(CONFIG, 2);
        MultiLayerNetwork dl4j = DcganNets.discriminator(CONFIG, 2);
        INDArray x = images(6);
        INDArray outputGradient = Nd4j.rand(DataType.FLOAT, BATCH, 1);

        dl4j.setInput(x);
        List<INDArray> activations = dl4j.feedForward(true, false);
        Pair<Gradient, INDArray> expected = dl4j.backpropGradient(outputGradient, LayerWorkspaceMgr.noWorkspaces());

        WorkspacePass pass = new WorkspacePass(mine, "TEST", WorkspacePass.Memory.WORKSPACE);
        for (int round = 0; round < 2; round++) {     // the second round runs in the learnt workspace
            try (MemoryWorkspace scope = pass.open()) {
                assertThat(pass.forward(x)).isEqualTo(activations.get(activations.size() - 1));
                Pair<Gradient, INDArray> actual = pass.backward(outputGradient);
                assertThat(actual.getFirst().gradient()).isEqualTo(expected.getFirst().gradient());
                assertThat(actual.getSecond()).isEqualTo(expected.getSecond());
            }
        }
    }

    @Test
    void discriminatorGradientsOnOneDnnAgreeWithTheBuiltInLayersInDouble() {
        MultiLayerNetwork fast = DcganNets.discriminator(CONFIG, 2);
        MultiLayerNetwork reference = withoutHelpers(() -> fast.convertDataType(DataType.DOUBLE));
        INDArray x = images(7);
        INDArray outputGradient = Nd4j.rand(DataType.FLOAT, BATCH, 1).subi(0.5);

        Result onOneDnn = forwardBackward(fast, x, outputGradient);
        Result builtIn = forwardBackward(reference, x.castTo(DataType.DOUBLE), outputGradient.castTo(DataType.DOUBLE));

        assertClose(onOneDnn.output(), builtIn.output(), "logits");
        assertClose(onOneDnn.parameterGradient(), builtIn.parameterGradient(), "parameter gradients");
        assertClose(onOneDnn.inputGradient(), builtIn.inputGradient(), "input gradient");
    }

    @Test
    void generatorGradientsOnOneDnnAgreeWithTheBuiltInLayersInDouble() {
        MultiLayerNetwork fast = DcganNets.generator(CONFIG, 1);
        MultiLayerNetwork reference = withoutHelpers(() -> fast.convertDataType(DataType.DOUBLE));
        INDArray z = new LatentSampler(8, CONFIG.zDim()).next(BATCH);
        INDArray outputGradient = Nd4j.rand(DataType.FLOAT, BATCH, 3, 32, 32).subi(0.5);

        Result onOneDnn = forwardBackward(fast, z, outputGradient);
        Result builtIn = forwardBackward(reference, z.castTo(DataType.DOUBLE), outputGradient.castTo(DataType.DOUBLE));

        assertClose(onOneDnn.output(), builtIn.output(), "images");
        assertClose(onOneDnn.parameterGradient(), builtIn.parameterGradient(), "parameter gradients");
    }

    @Test
    void builtInDiscriminatorLayersPassDl4jsGradientCheckInDouble() {
        MultiLayerNetwork d = withLoss(DcganNets.discriminator(CONFIG.withConvDim(4), 2),
                new LossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID).build(),
                InputType.convolutional(32, 32, 3));
        INDArray x = images(8).castTo(DataType.DOUBLE).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4));
        INDArray labels = Nd4j.create(new double[][] {{1}, {0}, {1}, {0}});
        assertThat(inDouble(() -> GradientCheckUtil.checkGradients(gradientCheck(d).input(x).labels(labels)))).isTrue();
    }

    @Test
    void builtInGeneratorLayersPassDl4jsGradientCheckInDouble() {
        MultiLayerNetwork g = withLoss(DcganNets.generator(CONFIG.withConvDim(4), 1),
                new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build(),
                InputType.feedForward(CONFIG.zDim()));
        INDArray z = new LatentSampler(9, CONFIG.zDim()).next(4).castTo(DataType.DOUBLE);
        INDArray targets = Nd4j.rand(DataType.DOUBLE, 4, 3, 32, 32).muli(2).subi(1);
        assertThat(inDouble(() -> GradientCheckUtil.checkGradients(gradientCheck(g).input(z).labels(targets)))).isTrue();
    }

    private record Result(INDArray output, INDArray parameterGradient, INDArray inputGradient) {
    }

    private static Result forwardBackward(MultiLayerNetwork net, INDArray input, INDArray outputGradient) {
        WorkspacePass pass = new WorkspacePass(net, "NUMERICS", WorkspacePass.Memory.WORKSPACE);
        try (MemoryWorkspace scope = pass.open()) {
            INDArray output = pass.forward(input).detach();
            Pair<Gradient, INDArray> gradients = pass.backward(outputGradient);
            return new Result(output, gradients.getFirst().gradient().detach(), gradients.getSecond());
        }
    }

    /** Relative L2 error within float precision of a few chained layers. */
    private static void assertClose(INDArray fast, INDArray reference, String what) {
        INDArray f = fast.castTo(DataType.DOUBLE);
        double error = f.sub(reference).norm2Number().doubleValue() / reference.norm2Number().doubleValue();
        assertThat(error).as("relative error of the %s", what).isLessThan(1e-4);
    }

    /** The same layers (no Adam: gradient checks want plain gradients) ending in a loss layer, in double. */
    private static MultiLayerNetwork withLoss(MultiLayerNetwork net, Layer loss, InputType input) {
        MultiLayerConfiguration original = net.getLayerWiseConfigurations();
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).updater(new NoOp()).list();
        for (NeuralNetConfiguration conf : original.getConfs()) {
            Layer layer = conf.getLayer().clone();
            if (layer instanceof BaseLayer base) {
                base.setIUpdater(new NoOp());
            }
            layers.layer(layer);
        }
        original.getInputPreProcessors().forEach(layers::inputPreProcessor);
        layers.layer(loss);
        layers.setInputType(input);
        MultiLayerNetwork checked = new MultiLayerNetwork(layers.build());
        checked.init();
        return checked;
    }

    /**
     * Central differences on up to 6 entries of every parameter array. BatchNorm's running mean and variance are
     * stored with the parameters but are averages, not trained: their "gradient" is the update of the average.
     */
    private static GradientCheckUtil.MLNConfig gradientCheck(MultiLayerNetwork net) {
        Set<String> runningAverages = net.paramTable().keySet().stream()
                .filter(name -> name.endsWith("_" + BatchNormalizationParamInitializer.GLOBAL_MEAN)
                        || name.endsWith("_" + BatchNormalizationParamInitializer.GLOBAL_VAR))
                .collect(Collectors.toSet());
        assertThat(runningAverages).isNotEmpty();
        return new GradientCheckUtil.MLNConfig().net(net).subset(true).maxPerParam(6).excludeParams(runningAverages);
    }

    /** GradientCheckUtil insists on ND4J's default types being double while it runs. */
    private static <T> T inDouble(Supplier<T> check) {
        DataType before = Nd4j.dataType();
        DataType floatBefore = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            return check.get();
        } finally {
            Nd4j.setDefaultDataTypes(before, floatBefore);
        }
    }

    private static <T> T withoutHelpers(Supplier<T> build) {
        System.setProperty(NativeBackend.HELPERS_DISABLED_PROPERTY, "true");
        try {
            return build.get();
        } finally {
            System.setProperty(NativeBackend.HELPERS_DISABLED_PROPERTY, "false");
        }
    }

    private static INDArray images(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, BATCH, 3, 32, 32).muli(2).subi(1);
    }
}
