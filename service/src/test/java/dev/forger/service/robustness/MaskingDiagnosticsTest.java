package dev.forger.service.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.attacks.AttackCatalog;
import dev.forger.service.attacks.AttackLimits;
import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.AttackRunner;
import dev.forger.service.attacks.Goal;
import dev.forger.service.attacks.Norm;
import dev.forger.service.attacks.ParameterEcho;
import dev.forger.service.attacks.ResolvedAttack;
import dev.forger.service.fixture.TorchReexportedBundle;
import dev.forger.service.fixture.TorchReexportedBundle.Masking;
import dev.forger.service.inference.LatentSampler;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.TestModels;
import dev.forger.service.store.EvaluationStore.DoneUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The masking checks of every report, on real attacks against real ONNX models: the default discriminator
 * raises none; the same discriminator behind a saturating input layer, or with its logit turned into a hard
 * threshold, raises the warnings that say its robustness is the attacks' failure.
 */
class MaskingDiagnosticsTest {
    private static final int N = 16;
    private static final List<Double> EPSILONS = List.of(2 / 255.0, 8 / 255.0, 32 / 255.0, 0.6);
    private static final List<AttackRequest> ATTACKS = List.of(attack("fgsm", null, null), attack("pgd", 20, null),
            attack("apgd", 20, null), attack("square", null, 300));
    private static LoadedModel defaultModel;
    private static LoadedModel saturating;
    private static LoadedModel threshold;
    private static float[] digits;

    @BeforeAll
    static void load() throws IOException {
        defaultModel = TestModels.embeddedDefault(false);
        Path source = TorchReexportedBundle.embeddedDefault();
        Path models = Files.createTempDirectory("forger-masking-models-");
        saturating = TestModels.load(TorchReexportedBundle.write(models.resolve("saturating"), "saturating", source,
                "Flatten", Masking.SATURATING_INPUT), false);
        threshold = TestModels.load(TorchReexportedBundle.write(models.resolve("threshold"), "threshold", source,
                "Flatten", Masking.HARD_THRESHOLD), false);
        digits = defaultModel.generate(LatentSampler.sample(defaultModel.manifest().latent(), 3, N), N).join();
    }

    @AfterAll
    static void close() {
        defaultModel.close();
        saturating.close();
        threshold.close();
    }

    @Test
    void theDefaultModelRaisesNoWarning() {
        RobustnessReport report = evaluate(defaultModel);
        print("default", report);
        assertThat(report.warnings()).as("warnings on the default model").isEmpty();
        assertThat(report.diagnostics()).extracting(MaskingDiagnostics.Check::check).containsExactly(
                "success-at-zero-perturbation", "success-not-increasing", "black-box-beats-white-box",
                "large-epsilon-not-total", "zero-gradients", "still-rising");
        assertThat(report.diagnostics()).allSatisfy(c -> assertThat(c.status()).as(c.check()).isEqualTo("ok"));
        assertThat(check(report, "zero-gradients").value()).isZero();
        assertThat(check(report, "large-epsilon-not-total").value()).as("unbroken at ε = 0.6").isZero();
    }

    @Test
    void aSaturatingInputLayerZeroesTheGradientsAndLetsTheBlackBoxWin() {
        RobustnessReport report = evaluate(saturating);
        print("saturating input", report);
        assertThat(report.warnings()).extracting(MaskingDiagnostics.Check::check)
                .contains("zero-gradients", "black-box-beats-white-box", "large-epsilon-not-total");
        assertThat(check(report, "zero-gradients").value()).isGreaterThan(0.9);
    }

    @Test
    void aHardThresholdZeroesTheGradientsAndLeavesImagesUnbrokenAtAHugeEpsilon() {
        RobustnessReport report = evaluate(threshold);
        print("hard threshold", report);
        assertThat(report.warnings()).extracting(MaskingDiagnostics.Check::check)
                .contains("zero-gradients", "large-epsilon-not-total");
        // most calls: only images whose logit lies within ~0.01 of 0 get a gradient through the step
        assertThat(check(report, "zero-gradients").value()).isGreaterThan(0.5);
    }

    @Test
    void aSweepWithoutAHugeEpsilonSaysTheCheckDidNotRun() {
        List<MaskingDiagnostics.Check> checks = MaskingDiagnostics.check(List.of(), N);
        assertThat(checks).allSatisfy(c -> assertThat(c.status()).as(c.check()).isEqualTo("not-run"));
    }

    /** The evaluation as workers run it: one unit per run over all images, assembled as the store would. */
    private static RobustnessReport evaluate(LoadedModel model) {
        List<EvaluationSpec.Run> runs = new ArrayList<>();
        List<DoneUnit> done = new ArrayList<>();
        for (int a = 0; a < ATTACKS.size(); a++) {
            for (double epsilon : EPSILONS) {
                AttackRequest r = ATTACKS.get(a);
                ResolvedAttack resolved = AttackCatalog.resolve(new AttackRequest(r.method(), epsilon, Norm.LINF,
                        r.steps(), null, null, 5L, Goal.FLIP, true, null, null, null, null, r.queries(), null), LIMITS);
                runs.add(new EvaluationSpec.Run(a, r.method(), "linf", epsilon, ParameterEcho.of(resolved)));
                var outcome = AttackRunner.run(resolved, model.attackModel(), digits, N);
                done.add(new DoneUnit(done.size(), done.size(), 0, N, UnitResults.write(outcome.results()), 0));
            }
        }
        EvaluationSpec spec = new EvaluationSpec(model.name(), "test", null,
                new RobustnessReport.ImageSource("generated", N, 3L), Goal.FLIP, 5, EPSILONS, ATTACKS, runs, N);
        return ReportAssembler.assemble(spec, done);
    }

    private static final AttackLimits LIMITS = new AttackLimits(1000, 10000, 20);

    private static AttackRequest attack(String method, Integer steps, Integer queries) {
        return new AttackRequest(method, null, null, steps, null, null, null, null, null, null, null, null, null,
                queries, null);
    }

    private static MaskingDiagnostics.Check check(RobustnessReport report, String name) {
        return report.diagnostics().stream().filter(c -> c.check().equals(name)).findFirst().orElseThrow();
    }

    private static void print(String model, RobustnessReport report) {
        for (var p : report.sweep()) {
            System.out.printf("[masking] %s %s ε=%.4f success %.3f%n", model, p.method(), p.epsilon(), p.successRate());
        }
        for (var c : report.diagnostics()) {
            System.out.printf("[masking] %s %s %s value=%s limit=%s at %s %s%n", model, c.check(), c.status(), c.value(),
                    c.limit(), c.method(), c.epsilon());
        }
    }
}
