package dev.forger.service.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.graph.manifest.ManifestIo;
import dev.forger.graph.manifest.Sha256;
import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.ValueInfo;
import dev.forger.service.fixture.TinyBundle;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A discriminator whose verdict ignores the image cannot be attacked: every attack fails cleanly, no NaN. */
class ConstantModelTest {
    private static final ImageShape SHAPE = new ImageShape(1, 32, 32);
    private static final AttackLimits SMALL = new AttackLimits(20, 60, 2);

    /** Always says "real" with logit 1.5; its gradient is zero. */
    static final class ConstantModel implements AttackModel {
        @Override
        public ImageShape imageShape() {
            return SHAPE;
        }

        @Override
        public float[] logits(float[] images, int count) {
            float[] l = new float[count];
            java.util.Arrays.fill(l, 1.5f);
            return l;
        }

        @Override
        public LogitsAndGradients gradients(float[] images, float[] labels, int count) {
            // dBCE/dx = (σ(z) − t)·dz/dx = 0 for every pixel
            return new LogitsAndGradients(logits(images, count), new float[images.length]);
        }
    }

    @Test
    void everyAttackFailsWithoutNaNOnAConstantModel() {
        float[] images = RealDigits.first(4);
        for (Attack attack : AttackCatalog.all()) {
            for (Norm norm : attack.defaults().norms()) {
                ResolvedAttack resolved = AttackCatalog.resolve(new AttackRequest(attack.name(), null, norm, null, null,
                        null, 3L, Goal.FAKE, false, null, null, null, null, null, null), SMALL);
                AttackOutcome outcome = AttackRunner.run(resolved, new ConstantModel(), images, 4);
                assertFailedCleanly(attack.name() + "-" + norm.label(), outcome, resolved.parameters());
            }
        }
    }

    @Test
    void aConstantOnnxDiscriminatorThroughOrtAndADerivedGradientGraphCannotBeAttackedEither(@TempDir Path dir)
            throws Exception {
        Path bundle = TinyBundle.write(dir.resolve("constant"), "constant", 5);
        constantDiscriminator().write(bundle.resolve("discriminator.onnx"));
        BundleManifest m = ManifestIo.read(bundle.resolve(ManifestIo.FILE_NAME));
        BundleManifest.Network d = m.discriminator();
        ManifestIo.write(bundle.resolve(ManifestIo.FILE_NAME), new BundleManifest(m.name(), m.version(), m.description(),
                m.image(), m.latent(), m.generator(), new BundleManifest.Network(d.file(), d.input(), d.output(),
                Sha256.of(bundle.resolve(d.file()))), null, m.training(), m.metrics()));
        try (LoadedModel model = TestModels.load(bundle, false)) {
            assertThat(model.gradientSource()).isEqualTo("derived");
            float[] images = RealDigits.first(4);
            for (String method : new String[] {"pgd", "deepfool", "cw", "apgd", "square"}) {
                ResolvedAttack resolved = AttackCatalog.resolve(new AttackRequest(method, null, null, null, null, null,
                        null, Goal.FAKE, true, null, null, null, null, null, null), SMALL);
                assertFailedCleanly(method, AttackRunner.run(resolved, model.attackModel(), images, 4),
                        resolved.parameters());
            }
        }
    }

    private static void assertFailedCleanly(String what, AttackOutcome outcome, AttackParameters p) {
        for (float v : outcome.adversarial()) {
            assertThat(v).as(what).isBetween(-1f, 1f);
        }
        for (ImageOutcome r : outcome.results()) {
            assertThat(r.success()).as(what).isFalse();
            assertThat(r.adversarialLogit()).as(what).isEqualTo(r.originalLogit());
            assertThat(r.l2()).as(what).isFinite();
            assertThat(r.forwardCalls()).as(what + ": first and final score at least").isGreaterThanOrEqualTo(2);
        }
    }

    /** image → Conv (zero weights, bias) → Flatten → Gemm (zero weights, bias 1.5): logit 1.5 whatever the image. */
    private static dev.forger.graph.onnx.OnnxModel constantDiscriminator() {
        int flat = 2 * 16 * 16;
        ModelBuilder b = new ModelBuilder("constant")
                .input(ValueInfo.batchedFloat("image", 1, 32, 32))
                .output(ValueInfo.batchedFloat("logit", 1))
                .initializer("k", new float[2 * 16], 2, 1, 4, 4)
                .initializer("kb", new float[] {0.3f, -0.2f}, 2)
                .initializer("w", new float[flat], flat, 1)
                .initializer("b", new float[] {1.5f}, 1);
        String conv = b.node("Conv", "image", "k", "kb").ints("kernel_shape", 4, 4).ints("strides", 2, 2)
                .ints("pads", 1, 1, 1, 1).output("conv");
        String act = b.node("LeakyRelu", conv).attr("alpha", 0.2f).output("act");
        String flatOut = b.node("Flatten", act).attr("axis", 1L).output("flat");
        b.node("Gemm", flatOut, "w", "b").output("logit");
        return b.build();
    }
}
