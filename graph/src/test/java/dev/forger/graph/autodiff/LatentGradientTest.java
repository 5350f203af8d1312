package dev.forger.graph.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.forger.graph.OrtRunner;
import dev.forger.graph.autodiff.Objective.Term;
import dev.forger.graph.compose.AttackGraphs;
import dev.forger.graph.compose.Net;
import dev.forger.graph.onnx.FloatTensor;
import dev.forger.graph.onnx.OnnxModel;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gradients through composed graphs (z -> generator -> discriminator, and a classifier beside the
 * discriminator) against central differences through ONNX Runtime forward passes of the composite:
 * on the committed default bundle's networks and on a PyTorch-style exported pair.
 */
class LatentGradientTest {
    /** Step ladder for nets with thousands of ReLUs: the first step with a kink-free side is used. */
    static final double[] STEPS = {1e-2, 5e-3, 2e-3, 1e-3, 5e-4, 3e-4, 2e-4, 1e-4};

    final TestNets nets = new TestNets(11);
    final GanTestNets gan = new GanTestNets(nets);

    @Test
    void defaultModelTowardsPerSampleTargets() throws Exception {
        Net g = DefaultBundle.generator();
        Net d = DefaultBundle.discriminator();
        GradientCheck.of(AttackGraphs.latentForward(g, d)).input("z")
                .derived(AttackGraphs.latentDiscriminatorGradient(g, d))
                .term(Term.on("logit", Loss.binaryCrossEntropyWithLogits()), GradientCheck.bce(new float[] {1f, 0f}))
                .targets(FloatTensor.of(new float[] {1f, 0f}, 2, 1))
                .at(nets.uniform(2, 100)).coordinates(30).steps(STEPS).run();
    }

    @Test
    void defaultModelClassTermWithRealism() throws Exception {
        // towards class 3 for sample 0, away from class 7 for sample 1; realism 0.5 and 2. Average
        // pooling: generated digits have near-constant backgrounds, where a max over four almost
        // equal values changes its argmax at every step (a kink at every coordinate)
        Net g = DefaultBundle.generator();
        Net d = DefaultBundle.discriminator();
        Net c = new Net(gan.classifier("image", 32, "AveragePool"), "image", "logits");
        GradientCheck.of(AttackGraphs.latentClassifierForward(g, c, d)).input("z")
                .derived(AttackGraphs.latentClassifierGradient(g, c, d, Loss.crossEntropy()))
                .term(Term.on("logits", Loss.crossEntropy()).weightedBy("class_weight"), GradientCheck.crossEntropy(3, 7), 1f, -1f)
                .term(Term.on("logit", Loss.binaryCrossEntropyWithLogits(1f)).weightedBy("realism"), GradientCheck.bce(1f), 0.5f, 2f)
                .classes(3, 7).at(nets.uniform(2, 100)).coordinates(30).steps(STEPS).run();
    }

    @Test
    void defaultModelPixelClassTermWithRealism() throws Exception {
        Net d = DefaultBundle.discriminator();
        Net c = new Net(gan.classifier("image", 32), "image", "logits");
        GradientCheck.of(AttackGraphs.pixelClassifierForward(c, d)).input("image")
                .derived(AttackGraphs.pixelClassifierGradient(c, d, Loss.logitMargin()))
                .term(Term.on("logits", Loss.logitMargin()).weightedBy("class_weight"), GradientCheck.logitMargin(5, 1), 1f, 1f)
                .term(Term.on("logit", Loss.binaryCrossEntropyWithLogits(1f)).weightedBy("realism"), GradientCheck.bce(1f), 1f, 0f)
                .classes(5, 1).at(nets.uniform(2, 1, 32, 32)).coordinates(30).steps(STEPS).run();
    }

    @Test
    void pytorchStylePairTowardsPerSampleTargets() throws Exception {
        for (String flatten : new String[] {"Flatten", "Constant", "Shape"}) {
            Net g = new Net(gan.generator(16), null, null);
            Net d = new Net(gan.discriminator(flatten), null, null);
            GradientCheck.of(AttackGraphs.latentForward(g, d)).input("z")
                    .derived(AttackGraphs.latentDiscriminatorGradient(g, d))
                    .term(Term.on("logit", Loss.binaryCrossEntropyWithLogits()), GradientCheck.bce(new float[] {0f, 1f}))
                    .targets(FloatTensor.of(new float[] {0f, 1f}, 2, 1))
                    .at(nets.uniform(2, 16)).coordinates(24).steps(STEPS).run();
        }
    }

    @Test
    void pytorchStylePairWithAClassifierMargin() throws Exception {
        Net g = new Net(gan.generator(16), "input", "output");
        Net d = new Net(gan.discriminator("Flatten"), "input", "output");
        Net c = new Net(gan.classifier("input", 16), "input", "logits");
        GradientCheck.of(AttackGraphs.latentClassifierForward(g, c, d)).input("z")
                .derived(AttackGraphs.latentClassifierGradient(g, c, d, Loss.logitMargin()))
                .term(Term.on("logits", Loss.logitMargin()).weightedBy("class_weight"), GradientCheck.logitMargin(0, 9), -1f, 1f)
                .term(Term.on("logit", Loss.binaryCrossEntropyWithLogits(1f)).weightedBy("realism"), GradientCheck.bce(1f), 3f, 0.25f)
                .classes(0, 9).at(nets.uniform(2, 16)).coordinates(24).steps(STEPS).run();
    }

    @Test
    void theCheckerCatchesAWrongLatentGradient() {
        // the graph descends towards targets (0, 1); the finite differences are of targets (1, 0)
        Net g = new Net(gan.generator(16), null, null);
        Net d = new Net(gan.discriminator("Flatten"), null, null);
        assertThatThrownBy(() -> GradientCheck.of(AttackGraphs.latentForward(g, d)).input("z")
                .derived(AttackGraphs.latentDiscriminatorGradient(g, d))
                .term(Term.on("logit", Loss.binaryCrossEntropyWithLogits()), GradientCheck.bce(new float[] {1f, 0f}))
                .targets(FloatTensor.of(new float[] {0f, 1f}, 2, 1))
                .at(nets.uniform(2, 16)).coordinates(24).steps(STEPS).run())
                .isInstanceOf(AssertionError.class).hasMessageContaining("gradient mismatches");
    }

    @Test
    void latentGradientsArePerSample() throws Exception {
        // sample 1's gradient is the same alone and in a batch of three, whatever the others' targets
        OnnxModel gradient = AttackGraphs.latentDiscriminatorGradient(DefaultBundle.generator(), DefaultBundle.discriminator());
        FloatTensor batch = nets.uniform(3, 100);
        FloatTensor second = FloatTensor.of(Arrays.copyOfRange(batch.data(), 100, 200), 1, 100);
        try (OrtRunner ort = new OrtRunner(gradient)) {
            float[] inBatch = ort.run(Map.of("z", batch, "target", FloatTensor.of(new float[] {0, 1, 0}, 3, 1))).get("grad").data();
            float[] alone = ort.run(Map.of("z", second, "target", FloatTensor.of(new float[] {1}, 1, 1))).get("grad").data();
            double maxAbs = GradientCheck.maxAbs(alone);
            assertThat(maxAbs).isGreaterThan(1e-3);
            for (int i = 0; i < 100; i++) {
                assertThat(inBatch[100 + i]).isCloseTo(alone[i], within((float) (1e-5 * maxAbs)));
            }
        }
    }
}
