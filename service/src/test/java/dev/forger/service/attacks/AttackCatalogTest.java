package dev.forger.service.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttackCatalogTest {
    private static final AttackLimits LIMITS = new AttackLimits(100, 5000, 10);

    private static AttackRequest request(String method) {
        return AttackRequest.of(method);
    }

    @Test
    void everyAttackResolvesWithItsDefaultsWithinTheLimits() {
        assertThat(AttackCatalog.all()).extracting(Attack::name).containsExactly("fgsm", "fgm", "bim", "pgd", "mifgsm",
                "deepfool", "cw", "apgd", "apgd-margin", "spsa", "square", "auto", "bisection");
        for (Attack attack : AttackCatalog.all()) {
            AttackParameters p = AttackCatalog.resolve(request(attack.name()), LIMITS).parameters();
            assertThat(p.norm()).isEqualTo(attack.defaults().norms().get(0));
            assertThat(p.goal()).isEqualTo(Goal.FLIP);
            assertThat(p.quantize()).isTrue();
            assertThat(p.steps()).isBetween(1, LIMITS.maxSteps());
            assertThat(p.queries()).isBetween(1, LIMITS.maxQueries());
            assertThat(p.searchSteps()).isBetween(1, LIMITS.maxSearchSteps());
            assertThat(attack.usesGradients()).isEqualTo(!List.of("spsa", "square").contains(attack.name()));
        }
        AttackParameters pgd = AttackCatalog.resolve(request("PGD"), LIMITS).parameters();
        assertThat(pgd.epsilon()).isEqualTo(8.0 / 255);
        assertThat(pgd.stepSize()).isEqualTo(2.5 * (8.0 / 255) / 20);
        assertThat(pgd.randomStart()).isTrue();
        assertThat(AttackCatalog.resolve(new AttackRequest("pgd", null, Norm.L2, null, null, null, null, null, null,
                null, null, null, null, null, null), LIMITS).parameters().epsilon()).isEqualTo(AttackDefaults.L2_EPSILON);
    }

    @Test
    void defaultsShrinkToTightLimitsInsteadOfFailing() {
        AttackLimits tight = new AttackLimits(5, 100, 2);
        assertThat(AttackCatalog.resolve(request("pgd"), tight).parameters().steps()).isEqualTo(5);
        assertThat(AttackCatalog.resolve(request("square"), tight).parameters().queries()).isEqualTo(100);
        assertThat(AttackCatalog.resolve(request("cw"), tight).parameters().searchSteps()).isEqualTo(2);
    }

    @Test
    void badParametersNameTheFieldAndTheRange() {
        assertProblem(new AttackRequest("pgd", 0.0, null, null, null, null, null, null, null, null, null, null, null, null, null),
                "epsilon", "(0, 1]");
        assertProblem(new AttackRequest("pgd", 1.5, null, null, null, null, null, null, null, null, null, null, null, null, null),
                "epsilon", "was 1.5");
        assertProblem(new AttackRequest("pgd", Double.NaN, null, null, null, null, null, null, null, null, null, null, null, null, null),
                "epsilon", "(0, 1]");
        assertProblem(new AttackRequest("pgd", null, null, 101, null, null, null, null, null, null, null, null, null, null, null),
                "steps", "[1, 100]");
        assertProblem(new AttackRequest("pgd", null, null, 0, null, null, null, null, null, null, null, null, null, null, null),
                "steps", "[1, 100]");
        assertProblem(new AttackRequest("bim", null, null, null, -0.1, null, null, null, null, null, null, null, null, null, null),
                "stepSize", "(0, 1]");
        assertProblem(new AttackRequest("mifgsm", null, null, null, null, null, null, null, null, 1.5, null, null, null, null, null),
                "momentum", "[0, 1]");
        assertProblem(new AttackRequest("deepfool", null, null, null, null, null, null, null, null, null, -1.0, null, null, null, null),
                "overshoot", "[0, 1]");
        assertProblem(new AttackRequest("cw", null, null, null, null, null, null, null, null, null, null, 0.0, null, null, null),
                "constant", "(0, 1000000]");
        assertProblem(new AttackRequest("cw", null, null, null, null, null, null, null, null, null, null, null, 11, null, null),
                "searchSteps", "[1, 10]");
        assertProblem(new AttackRequest("cw", null, null, null, null, null, null, null, null, null, null, null, null, null, 2.0),
                "learningRate", "(0, 1]");
        assertProblem(new AttackRequest("square", null, null, null, null, null, null, null, null, null, null, null, null, 5001, null),
                "queries", "[1, 5000]");
        assertProblem(new AttackRequest("fgsm", null, Norm.L2, null, null, null, null, null, null, null, null, null, null, null, null),
                "norm", "fgm");
        assertProblem(request("nope"), "method", "fgsm, fgm, bim, pgd, mifgsm, deepfool, cw, apgd, apgd-margin, spsa, square,"
                + " auto, bisection");
        assertProblem(request(null), "method", "unknown attack method");
    }

    @Test
    void parametersAnAttackDoesNotReadAreIgnoredAndReportedAtTheirDefaults() {
        // apgd adapts its own step size; deepfool is not bounded by epsilon
        AttackParameters apgd = AttackCatalog.resolve(new AttackRequest("apgd", null, null, null, 5.0, null, null, null,
                null, null, null, null, null, null, null), LIMITS).parameters();
        assertThat(apgd.stepSize()).isNotEqualTo(5.0);
        AttackParameters deepfool = AttackCatalog.resolve(new AttackRequest("deepfool", 7.0, null, null, null, null,
                null, null, null, null, null, null, null, null, null), LIMITS).parameters();
        assertThat(deepfool.epsilon()).isEqualTo(AttackDefaults.L2_EPSILON);
    }

    @Test
    void normsAndGoalsParseAnyCaseAndRefuseOthers() {
        assertThat(Norm.parse("LInf")).isEqualTo(Norm.LINF);
        assertThat(Norm.parse(" l2 ")).isEqualTo(Norm.L2);
        assertThat(Goal.parse("Real")).isEqualTo(Goal.REAL);
        assertThatThrownBy(() -> Norm.parse("l1")).isInstanceOfSatisfying(ClientProblem.class,
                p -> assertThat(p.field()).isEqualTo("norm"));
        assertThatThrownBy(() -> Goal.parse(null)).isInstanceOfSatisfying(ClientProblem.class,
                p -> assertThat(p.field()).isEqualTo("goal"));
        assertThat(Goal.FLIP.label(0.3f)).isEqualTo(0f);
        assertThat(Goal.FLIP.label(-0.3f)).isEqualTo(1f);
        assertThat(Goal.FLIP.label(0f)).as("a logit of 0 is fake: flipping aims at real").isEqualTo(1f);
    }

    @Test
    void apgdCheckpointsFollowThePaperSchedule() {
        // p = 0, 0.22, 0.41, 0.57, 0.70, 0.80, 0.87, 0.93, 0.99 → ⌈p·100⌉
        assertThat(AutoPgd.checkpoints(100)).containsExactly(22, 41, 57, 70, 80, 87, 93, 99);
    }

    private static void assertProblem(AttackRequest request, String field, String detailPart) {
        assertThatThrownBy(() -> AttackCatalog.resolve(request, LIMITS)).isInstanceOfSatisfying(ClientProblem.class, p -> {
            assertThat(p.type()).isEqualTo(ProblemType.INVALID_PARAMETER);
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.detail()).contains(detailPart);
        });
    }
}
