package dev.forger.service.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forger.service.problem.ClientProblem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The published specs (GET /attacks) say exactly what {@link AttackCatalog#resolve} does: every default is
 * the value it fills in, every bound is where it starts refusing. A spec that drifted from the checks would
 * make the web lab offer values the service refuses, or hide values it takes.
 */
class AttackSpecsTest {
    private static final AttackLimits LIMITS = new AttackLimits(100, 5000, 10);

    @Test
    void everyParameterAnAttackReadsIsDescribedUnderEveryNormItSupports() {
        for (Attack attack : AttackCatalog.all()) {
            for (Norm norm : attack.defaults().norms()) {
                List<String> described = AttackSpecs.parameters(attack, norm, LIMITS).stream()
                        .map(AttackSpecs.Parameter::name).toList();
                List<String> expected = new java.util.ArrayList<>(attack.parameterNames());
                expected.remove("norm");
                assertThat(expected).as("every attack reads skipAtGoal").contains("skipAtGoal");
                assertThat(described).as(attack.name()).containsExactlyInAnyOrderElementsOf(expected);
            }
            assertThat(AttackSpecs.norms(attack).get(0)).isEqualTo(attack.defaults().norms().get(0).label());
        }
        assertThat(AttackSpecs.goals()).containsExactly("flip", "fake", "real");
    }

    @Test
    void defaultsAreWhatResolveFillsIn() {
        for (Attack attack : AttackCatalog.all()) {
            for (Norm norm : attack.defaults().norms()) {
                AttackParameters resolved = AttackCatalog.resolve(request(attack, norm, Map.of()), LIMITS).parameters();
                for (AttackSpecs.Parameter p : AttackSpecs.parameters(attack, norm, LIMITS)) {
                    assertThat(valueOf(resolved, p.name())).as(attack.name() + " " + norm.label() + " " + p.name())
                            .isEqualTo(p.defaultValue());
                }
            }
        }
    }

    @Test
    void aRelativeStepSizeFollowsTheEpsilonAndStepsSent() {
        for (Attack attack : AttackCatalog.all()) {
            for (Norm norm : attack.defaults().norms()) {
                for (AttackSpecs.Parameter p : AttackSpecs.parameters(attack, norm, LIMITS)) {
                    if (p.name().equals("stepSize") && p.stepFactor() != null) {
                        AttackParameters resolved = AttackCatalog.resolve(request(attack, norm,
                                Map.of("epsilon", 0.05, "steps", 7)), LIMITS).parameters();
                        assertThat(resolved.stepSize()).as(attack.name()).isEqualTo(p.stepFactor() * 0.05 / 7);
                    }
                }
            }
        }
    }

    @Test
    void boundsAreWhereResolveStartsRefusing() {
        int checked = 0;
        for (Attack attack : AttackCatalog.all()) {
            for (Norm norm : attack.defaults().norms()) {
                for (AttackSpecs.Parameter p : AttackSpecs.parameters(attack, norm, LIMITS)) {
                    String where = attack.name() + " " + norm.label() + " " + p.name();
                    boolean integer = p.type().equals("integer");
                    if (p.maximum() != null) {
                        Object max = integer ? (Object) p.maximum().intValue() : p.maximum();
                        assertAccepted(attack, norm, p.name(), max, where + " at its maximum");
                        Object above = integer ? (Object) (p.maximum().intValue() + 1) : Math.nextUp(p.maximum());
                        assertRefused(attack, norm, p.name(), above, where + " above its maximum");
                        checked++;
                    }
                    if (p.minimum() != null) {
                        Object min = integer ? (Object) p.minimum().intValue() : p.minimum();
                        if (p.exclusiveMinimum()) {
                            assertRefused(attack, norm, p.name(), min, where + " at its exclusive minimum");
                            // not Math.nextUp: a denormal epsilon makes the derived step size underflow to 0, refused on its own
                            assertAccepted(attack, norm, p.name(), p.minimum() + 1e-6, where + " just above it");
                        } else {
                            assertAccepted(attack, norm, p.name(), min, where + " at its minimum");
                            Object below = integer ? (Object) (p.minimum().intValue() - 1) : Math.nextDown(p.minimum());
                            assertRefused(attack, norm, p.name(), below, where + " below its minimum");
                        }
                    }
                }
            }
        }
        assertThat(checked).as("bounded parameters checked").isGreaterThan(20);
    }

    private static void assertAccepted(Attack attack, Norm norm, String name, Object value, String what) {
        AttackParameters resolved = AttackCatalog.resolve(request(attack, norm, Map.of(name, value)), LIMITS).parameters();
        assertThat(((Number) valueOf(resolved, name)).doubleValue()).as(what).isEqualTo(((Number) value).doubleValue());
    }

    private static void assertRefused(Attack attack, Norm norm, String name, Object value, String what) {
        assertThatThrownBy(() -> AttackCatalog.resolve(request(attack, norm, Map.of(name, value)), LIMITS))
                .as(what).isInstanceOfSatisfying(ClientProblem.class, p -> assertThat(p.field()).isEqualTo(name));
    }

    /** A request for {@code attack} under {@code norm} with the given fields set, the rest left to defaults. */
    private static AttackRequest request(Attack attack, Norm norm, Map<String, Object> fields) {
        Map<String, Object> f = new HashMap<>(fields);
        return new AttackRequest(attack.name(), (Double) f.get("epsilon"), norm, (Integer) f.get("steps"),
                (Double) f.get("stepSize"), (Boolean) f.get("randomStart"), (Long) f.get("seed"),
                (Goal) f.get("goal"), (Boolean) f.get("quantize"), (Double) f.get("momentum"),
                (Double) f.get("overshoot"), (Double) f.get("constant"), (Integer) f.get("searchSteps"),
                (Integer) f.get("queries"), (Double) f.get("learningRate"), (Boolean) f.get("skipAtGoal"));
    }

    /** The resolved value of one parameter, as the spec spells it (goal as its lower-case name). */
    private static Object valueOf(AttackParameters p, String name) {
        return switch (name) {
            case "epsilon" -> p.epsilon();
            case "steps" -> (long) p.steps();
            case "stepSize" -> p.stepSize();
            case "randomStart" -> p.randomStart();
            case "momentum" -> p.momentum();
            case "overshoot" -> p.overshoot();
            case "constant" -> p.constant();
            case "searchSteps" -> (long) p.searchSteps();
            case "learningRate" -> p.learningRate();
            case "queries" -> (long) p.queries();
            case "seed" -> p.seed();
            case "goal" -> p.goal().name().toLowerCase(java.util.Locale.ROOT);
            case "quantize" -> p.quantize();
            case "skipAtGoal" -> p.skipAtGoal();
            default -> throw new AssertionError("unknown parameter " + name);
        };
    }
}
