package dev.forger.trainer.training;

import dev.forger.trainer.Seeds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.trainer.NativeBackend;
import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.nets.DcganNets;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.Deconvolution2DLayer;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast path is engaged, and stays engaged: fails when DL4J would quietly fall back to its Java-side im2col
 * convolutions and its own BatchNorm (no helper created, helper refused, or helper failing at run time).
 * What the fast path computes is checked in {@link FastPathNumericsTest}; how fast it is, by {@code benchmark}.
 */
class OneDnnFastPathTest {

    static final DcganConfig CONFIG = DcganConfig.defaults(3).withConvDim(8);

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    @Test
    void libnd4jRunsItsOpsOnOneDnnAndDl4jSeesIt() throws Exception {
        Class<?> bindings = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
        Object environment = bindings.getMethod("getInstance").invoke(null);
        assertThat((Boolean) bindings.getMethod("isUseONEDNN").invoke(environment))
                .as("libnd4j's own oneDNN switch (transposed convolutions call its deconv2d op directly)").isTrue();
        assertThat(org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN())
                .as("the class DL4J asks, under the name it asks for").isTrue();
        assertThat(BaseMKLDNNHelper.mklDnnEnabled()).as("DL4J's own check").isTrue();
        assertThat(NativeBackend.layerHelpersEnabled()).isTrue();
    }

    @Test
    void everyConvolutionAndBatchNormOfBothNetsGetsItsOneDnnHelper() {
        assertOneDnnHelpers(DcganNets.discriminator(CONFIG, 1), 3, 2);
        assertOneDnnHelpers(DcganNets.generator(CONFIG, 1), 0, 3);
    }

    @Test
    void netsRestoredFromACheckpointGetThemToo(@TempDir Path run) throws Exception {
        MultiLayerNetwork g = DcganNets.generator(CONFIG, 1);
        MultiLayerNetwork d = DcganNets.discriminator(CONFIG, 2);
        new Checkpoint(g, d, new Checkpoint.State(1, 1, 8, 0, Seeds.SCHEME, CONFIG)).save(run);
        Checkpoint restored = Checkpoint.load(Checkpoint.latest(run).orElseThrow());
        assertOneDnnHelpers(restored.discriminator(), 3, 2);
        assertOneDnnHelpers(restored.generator(), 0, 3);
    }

    @Test
    void helpersRunThroughTrainingStepsWithoutFallingBack() throws Exception {
        MultiLayerNetwork g = DcganNets.generator(CONFIG, 1);
        MultiLayerNetwork d = DcganNets.discriminator(CONFIG, 2);
        GanStep step = new GanStep(g, d);
        LatentSampler latents = new LatentSampler(3, CONFIG.zDim());
        INDArray real = Nd4j.rand(8, 3, 32, 32).muli(2).subi(1);
        for (int i = 0; i < 2; i++) {
            step.run(real, latents.next(8), latents.next(8), i, 1);
        }
        // after a failure DL4J logs a warning, counts it and runs its built-in code from then on
        for (MultiLayerNetwork net : List.of(g, d)) {
            for (Layer layer : net.getLayers()) {
                if (layer.getHelper() != null) {
                    assertThat(helperFailures(layer)).as("helper failures of %s", layer).isZero();
                }
            }
        }
        assertOneDnnHelpers(d, 3, 2);
        assertOneDnnHelpers(g, 0, 3);
    }

    private static void assertOneDnnHelpers(MultiLayerNetwork net, int convolutions, int batchNorms) {
        List<Layer> convs = List.of(net.getLayers()).stream()
                .filter(l -> l instanceof ConvolutionLayer && !(l instanceof Deconvolution2DLayer)).toList();
        List<Layer> norms = List.of(net.getLayers()).stream().filter(l -> l instanceof BatchNormalization).toList();
        assertThat(convs).hasSize(convolutions).allSatisfy(l -> assertThat(l.getHelper()).isInstanceOf(MKLDNNConvHelper.class));
        assertThat(norms).hasSize(batchNorms).allSatisfy(l -> assertThat(l.getHelper()).isInstanceOf(MKLDNNBatchNormHelper.class));
    }

    private static int helperFailures(Layer layer) throws ReflectiveOperationException {
        for (Class<?> type = layer.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field count = type.getDeclaredField("helperCountFail");
                count.setAccessible(true);
                return count.getInt(layer);
            } catch (NoSuchFieldException e) {
                // declared further up
            }
        }
        throw new NoSuchFieldException("helperCountFail in " + layer.getClass());
    }
}
