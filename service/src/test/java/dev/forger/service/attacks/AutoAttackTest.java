package dev.forger.service.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.fixture.TorchReexportedBundle;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code auto} against its members run alone with the same parameters, image by image, at every ε of an L∞
 * and an L2 sweep, on the default model and on a PyTorch-exported DCGAN discriminator dropped into a models
 * folder (the default's weights in torch.onnx.export's style, its gradient graph derived by the service). Since
 * every random draw for an image comes from the seed and the image, a member that the ensemble runs on the
 * images still unbroken treats each one exactly as it does alone: an image is broken by auto exactly when a
 * member breaks it alone, by the first such member, with that member's very logit. So auto breaks at least as
 * many images as the best member, per image, at every ε.
 */
class AutoAttackTest {
    private static final int N = 16;
    private static final List<String> MEMBERS = List.of("apgd", "apgd-margin", "square");
    private static LoadedModel defaultModel;
    private static LoadedModel torchModel;
    private static float[] digits;

    @BeforeAll
    static void load() throws IOException {
        defaultModel = TestModels.embeddedDefault(false);
        Path source = TorchReexportedBundle.embeddedDefault();
        Path models = Files.createTempDirectory("forger-auto-models-");
        torchModel = TestModels.load(TorchReexportedBundle.write(models.resolve("torch-dcgan"), "torch-dcgan", source,
                "Constant"), false);
        digits = RealDigits.first(N);
    }

    @AfterAll
    static void close() {
        defaultModel.close();
        torchModel.close();
    }

    @Test
    void thePyTorchStyleDiscriminatorComputesTheDefaultsFunctionAndGetsADerivedGradientGraph() {
        assertThat(torchModel.hasGradients()).isTrue();
        float[] a = defaultModel.attackModel().logits(digits, N);
        float[] b = torchModel.attackModel().logits(digits, N);
        for (int i = 0; i < N; i++) {
            assertThat(b[i]).as("logit of digit " + i).isCloseTo(a[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    static Stream<Arguments> sweeps() {
        List<Arguments> all = new ArrayList<>();
        for (String model : List.of("default", "torch")) {
            for (double epsilon : new double[] {1 / 255.0, 2 / 255.0, 4 / 255.0, 8 / 255.0, 16 / 255.0}) {
                all.add(Arguments.of(model, Norm.LINF, epsilon));
            }
            for (double epsilon : new double[] {0.25, 0.5, 1.0}) {
                all.add(Arguments.of(model, Norm.L2, epsilon));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} ε={2}")
    @MethodSource("sweeps")
    void autoBreaksAnImageExactlyWhenAMemberAloneBreaksIt(String which, Norm norm, double epsilon) {
        LoadedModel model = which.equals("default") ? defaultModel : torchModel;
        AttackOutcome auto = run(model, "auto", norm, epsilon);
        List<AttackOutcome> members = MEMBERS.stream().map(m -> run(model, m, norm, epsilon)).toList();

        long best = 0;
        for (AttackOutcome member : members) {
            best = Math.max(best, member.results().stream().filter(ImageOutcome::success).count());
        }
        long autoBroken = auto.results().stream().filter(ImageOutcome::success).count();
        assertThat(autoBroken).as("auto vs the best single member").isGreaterThanOrEqualTo(best);

        int[] attacked = new int[MEMBERS.size()];
        for (int i = 0; i < N; i++) {
            ImageOutcome r = auto.results().get(i);
            String first = null;
            int gradientCalls = 0;
            for (int m = 0; m < MEMBERS.size() && first == null; m++) {
                ImageOutcome alone = members.get(m).results().get(i);
                attacked[m]++;
                gradientCalls += alone.gradientCalls();
                if (alone.success()) {
                    first = MEMBERS.get(m);
                    assertThat(r.adversarialLogit()).as("image " + i + ": the logit " + first + " reached alone")
                            .isEqualTo(alone.adversarialLogit());
                    assertThat(r.linf()).isEqualTo(alone.linf());
                }
            }
            assertThat(r.success()).as("image " + i + " broken by auto iff by a member alone").isEqualTo(first != null);
            assertThat(r.brokenBy()).as("image " + i + ": the first member that breaks it alone").isEqualTo(first);
            assertThat(r.gradientCalls()).as("image " + i + ": the calls of every member that worked on it")
                    .isEqualTo(gradientCalls);
            assertThat(norm == Norm.LINF ? r.linf() : r.l2()).isLessThanOrEqualTo(epsilon + 1e-12);
        }
        assertThat(auto.members()).extracting(AttackOutcome.MemberRun::method).containsExactlyElementsOf(MEMBERS);
        for (int m = 0; m < MEMBERS.size(); m++) {
            assertThat(auto.members().get(m).images()).as(MEMBERS.get(m) + " attacked the images still unbroken")
                    .isEqualTo(attacked[m]);
        }
        assertThat(auto.members().stream().mapToInt(AttackOutcome.MemberRun::broken).sum()).isEqualTo((int) autoBroken);
        assertThat(auto.members().get(2).gradientCalls()).as("square never runs the gradient graph").isZero();
    }

    /** Small budgets keep the test short; the members read exactly these from auto's request. */
    private static AttackOutcome run(LoadedModel model, String method, Norm norm, double epsilon) {
        ResolvedAttack attack = AttackCatalog.resolve(new AttackRequest(method, epsilon, norm, 10, null, null, 3L,
                Goal.FLIP, true, null, null, null, null, 300, null), Requests.LIMITS);
        return AttackRunner.run(attack, model.attackModel(), digits, N);
    }
}
