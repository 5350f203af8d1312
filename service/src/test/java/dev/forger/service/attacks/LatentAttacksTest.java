package dev.forger.service.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.fixture.TorchStyleBundle;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.inference.LatentSampler;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.TestModels;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared attack machinery in latent space, on the default model's cached z → G → D graphs: 32 generated
 * digits (seed 7), goal flip. δ is in latent units of the U(-1, 1) latent; every point an attack asks about
 * stays in the δ-ball and in the latent's support, FGSM is exactly one clipped sign step, and the bisection
 * finds δs no larger than its bound.
 */
class LatentAttacksTest {
    private static final int N = 32;
    private static final AttackSpace SPACE = AttackSpace.latent(
            dev.forger.graph.manifest.BundleManifest.Latent.uniform(100, -1, 1));
    /** The documented latent budgets (L∞, 100 steps): PGD at half the support's width, Auto-PGD at an eighth. */
    static final double PGD_DELTA = 1.0;
    static final double APGD_DELTA = 0.25;
    private static LoadedModel model;
    private static AttackModel latent;
    private static float[] z;

    @BeforeAll
    static void load() {
        model = TestModels.embeddedDefault(false);
        latent = model.latentAttackModel().orElseThrow();
        z = LatentSampler.sample(model.manifest().latent(), 7, N);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static ResolvedAttack resolve(String method, Norm norm, double delta) {
        return resolve(method, norm, delta, null);
    }

    static ResolvedAttack resolve(String method, Norm norm, double delta, Integer steps) {
        return resolve(method, norm, delta, steps, null);
    }

    static ResolvedAttack resolve(String method, Norm norm, double delta, Integer steps, Boolean randomStart) {
        return AttackCatalog.resolve(new AttackRequest(method, delta, norm, steps, null, randomStart, 0L, Goal.FLIP,
                false, null, null, null, null, null, null), Requests.LIMITS, SPACE);
    }

    /** Attacking every point, also those already at the goal, so that every call carries the whole batch. */
    static ResolvedAttack resolveAll(String method, Norm norm, double delta) {
        return AttackCatalog.resolve(new AttackRequest(method, delta, norm, null, null, null, 0L, Goal.FLIP, false,
                null, null, null, null, null, null, false), Requests.LIMITS, SPACE);
    }

    private static long successes(AttackOutcome outcome) {
        return outcome.results().stream().filter(ImageOutcome::success).count();
    }

    @Test
    void pgdAndApgdInLatentSpaceFlipMostGeneratedDigitsAtTheDocumentedDeltas() {
        // measured when written (32 digits of seed 7): PGD-L∞ with 100 steps flipped 26 at δ = 1.0 (18 at 0.5,
        // 14 at 0.25); Auto-PGD with 100 steps 31 at δ = 0.25
        AttackOutcome pgd = AttackRunner.run(resolve("pgd", Norm.LINF, PGD_DELTA, 100), latent, z, N);
        AttackOutcome apgd = AttackRunner.run(resolve("apgd", Norm.LINF, APGD_DELTA, 100), latent, z, N);
        // "most": more than half, so that the property (not this bundle's exact count) is what a retrained default
        // bundle has to keep; README "Threat models only a GAN gives" has the counts of the bundle it describes
        assertThat(successes(pgd)).as("pgd flips of %d at δ %s", N, PGD_DELTA).isGreaterThan(N / 2);
        assertThat(successes(apgd)).as("apgd flips of %d at δ %s", N, APGD_DELTA).isGreaterThan(N / 2);
        for (ImageOutcome r : pgd.results()) {
            assertThat(r.linf()).as("δ in latent units").isLessThanOrEqualTo(PGD_DELTA);
            if (!r.alreadyAtGoal()) {
                assertThat(r.gradientCalls()).isEqualTo(100);
            }
        }
        float[] images = model.generate(apgd.adversarial(), N).join();
        float[] logits = model.score(images, N).join();
        for (ImageOutcome r : apgd.results()) {
            assertThat(logits[r.index()]).as("the reported verdict is D(G(z'))")
                    .isCloseTo(r.adversarialLogit(), org.assertj.core.api.Assertions.within(1e-4f));
        }
    }

    @Test
    void everyPointAnAttackAsksAboutIsInTheDeltaBallAndTheSupport() {
        for (String method : AttackScope.DESCENT) {
            for (Norm norm : AttackCatalog.byName(method).defaults().norms()) {
                double delta = norm == Norm.LINF ? 0.3 : 2.0;
                SupportCheck check = new SupportCheck(latent, norm, delta);
                AttackRunner.run(resolveAll(method, norm, delta), check, z, N);
                assertThat(check.calls).as(method + " " + norm).isGreaterThan(0);
            }
        }
    }

    @Test
    void fgsmInLatentSpaceIsOneClippedSignStep() {
        float delta = 0.5f;
        AttackOutcome outcome = AttackRunner.run(resolve("fgsm", Norm.LINF, delta), latent, z, N);
        float[] labels = new float[N];
        for (ImageOutcome r : outcome.results()) {
            labels[r.index()] = Goal.FLIP.label(r.originalLogit());
        }
        float[] g = latent.gradients(z, labels, N).gradients();
        for (ImageOutcome r : outcome.results()) {
            if (r.alreadyAtGoal()) {
                continue;
            }
            for (int j = r.index() * 100; j < (r.index() + 1) * 100; j++) {
                float expected = Math.min(1f, Math.max(-1f, z[j] - delta * Math.signum(g[j])));
                assertThat(outcome.adversarial()[j]).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-6f));
            }
        }
    }

    @Test
    void bisectionFindsTheSmallestDeltaWithinItsBound() {
        double bound = 0.5;
        AttackOutcome search = AttackRunner.run(resolve("bisection", Norm.LINF, bound, 30, false), latent, z, N);
        AttackOutcome apgd = AttackRunner.run(resolve("apgd", Norm.LINF, bound, 30, false), latent, z, N);
        assertThat(successes(search)).as("its first trial is this Auto-PGD run").isGreaterThanOrEqualTo(successes(apgd))
                .isGreaterThan(N / 2);
        int smaller = 0;
        for (ImageOutcome r : search.results()) {
            assertThat(r.linf()).isLessThanOrEqualTo(bound);
            smaller += r.success() && r.linf() < bound / 2 ? 1 : 0;
            assertThat(r.gradientCalls()).isEqualTo(r.success() ? (1 + 6) * 31 : 31);
        }
        assertThat(smaller).as("flips found below half the bound, of %d", successes(search))
                .isGreaterThan((int) successes(search) / 2);
    }

    @Test
    void normalLatentsAreUnboundedAndTheTorchStyleBundleIsAttackedThroughItsAdapter() throws Exception {
        LoadedModel torch = TestModels.load(TorchStyleBundle.write(Files.createTempDirectory("forger-torch-"), "torch", 3),
                false);
        try {
            AttackModel torchLatent = torch.latentAttackModel().orElseThrow();
            float[] start = LatentSampler.sample(torch.manifest().latent(), 1, 8);
            AttackOutcome outcome = AttackRunner.run(AttackCatalog.resolve(new AttackRequest("pgd", 3.0, Norm.L2, null,
                    null, null, 0L, Goal.FLIP, false, null, null, null, null, null, null), Requests.LIMITS,
                    torchLatent.space()), torchLatent, start, 8);
            assertThat(successes(outcome)).isGreaterThan(0);
            boolean outside = false;
            for (float v : outcome.adversarial()) {
                outside |= Math.abs(v) > 1;
            }
            assertThat(outside).as("normal latents are not clipped to [-1, 1]").isTrue();
            for (ImageOutcome r : outcome.results()) {
                assertThat(r.l2()).isLessThanOrEqualTo(3.0);
            }
        } finally {
            torch.close();
        }
    }

    /** Asserts that every point lies in the δ-ball around its original and in the latent's support. */
    static final class SupportCheck implements AttackModel {
        private final AttackModel model;
        private final Norm norm;
        private final double delta;
        private float[] originals;
        int calls;

        SupportCheck(AttackModel model, Norm norm, double delta) {
            this.model = model;
            this.norm = norm;
            this.delta = delta;
        }

        @Override
        public ImageShape imageShape() {
            return model.imageShape();
        }

        @Override
        public AttackSpace space() {
            return model.space();
        }

        @Override
        public float[] logits(float[] points, int count) {
            check(points);
            return model.logits(points, count);
        }

        @Override
        public LogitsAndGradients gradients(float[] points, float[] labels, int count) {
            check(points);
            return model.gradients(points, labels, count);
        }

        private void check(float[] points) {
            if (originals == null) {
                originals = points.clone();
                return;
            }
            if (points.length != originals.length) {
                return; // a call on a subset (bisection's later trials); the whole-batch calls are checked
            }
            calls++;
            int dim = space().size();
            for (int from = 0; from < points.length; from += dim) {
                double sum = 0;
                double max = 0;
                for (int j = from; j < from + dim; j++) {
                    assertThat(points[j]).isBetween(-1f, 1f);
                    double d = points[j] - originals[j];
                    sum += d * d;
                    max = Math.max(max, Math.abs(d));
                }
                double size = norm == Norm.LINF ? max : Math.sqrt(sum);
                assertThat(size).as("point %d", from / dim).isLessThanOrEqualTo(delta * (1 + 1e-6));
            }
        }
    }
}
