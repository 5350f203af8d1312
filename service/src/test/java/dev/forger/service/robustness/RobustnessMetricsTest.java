package dev.forger.service.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.Goal;
import dev.forger.service.attacks.ImageOutcome;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.store.EvaluationStore;
import dev.forger.service.store.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A completed evaluation becomes metrics: success ratios per model version, attack, norm and ε, every masking
 * check's counter, and — found in the store — the change since the model's previous version at the same settings.
 */
class RobustnessMetricsTest {
    private EvaluationStore store;
    private SimpleMeterRegistry registry;
    private ForgerMetrics metrics;

    @BeforeEach
    void freshStoreAndRegistry() {
        store = TestStores.inMemory();
        registry = new SimpleMeterRegistry();
        metrics = new ForgerMetrics(registry);
    }

    @Test
    void aNewVersionBrokenMoreOftenAtTheSameSettingsShowsTheIncrease() {
        finish(spec("v1", 20), 1); // pgd broke 1 of 4 images on v1
        finish(spec("v1", 40), 4); // other settings (40 steps): never compared with
        Finished v2 = finish(spec("v2", 20), 3);
        RobustnessMetrics.publish(metrics, store, v2.id(), v2.spec(), v2.report());

        assertThat(gauge("forger.attack.success.ratio", "version", "v2")).isEqualTo(0.75);
        assertThat(gauge("forger.robustness.regression.ratio", "previous_version", "v1")).isEqualTo(0.5);
        assertThat(registry.get("forger.robustness.regression.ratio").gauge().getId().getTag("epsilon"))
                .isEqualTo(Double.toString(8 / 255.0));
        assertThat(registry.get("forger.robustness.warnings").counters()).extracting(c -> c.getId().getTag("check"))
                .contains("zero-gradients", "still-rising", "success-not-increasing");
    }

    @Test
    void withoutAnEarlierVersionAtTheSameSettingsThereIsNoChangeToShow() {
        finish(spec("v1", 40), 4);
        Finished v2 = finish(spec("v2", 20), 3);
        RobustnessMetrics.publish(metrics, store, v2.id(), v2.spec(), v2.report());
        assertThat(registry.find("forger.robustness.regression.ratio").gauges()).isEmpty();
        assertThat(gauge("forger.attack.success.ratio", "attack", "pgd")).isEqualTo(0.75);
    }

    private record Finished(String id, EvaluationSpec spec, RobustnessReport report) {}

    /** Stores the evaluation, runs its one unit with {@code broken} of 4 images broken, and reads it back. */
    private Finished finish(EvaluationSpec planned, int broken) {
        String json = UnitResults.write(planned);
        EvaluationSpec spec = UnitResults.read(json, EvaluationSpec.class); // as workers see it
        String id = store.create(new EvaluationStore.NewEvaluation("m", spec.modelVersion(), "sha", "test", 0, json,
                new byte[4 * 4], EvaluationPlan.units(spec)), 100);
        EvaluationStore.Claim claim = store.claim("replica", Duration.ofSeconds(30), 3).orElseThrow();
        List<ImageOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            outcomes.add(new ImageOutcome(i, i < broken, -1f, i < broken ? 1f : -0.5f, 0.03, 0.3, 21, 2, false));
        }
        RobustnessReport[] report = new RobustnessReport[1];
        assertThat(store.complete(claim, "replica", UnitResults.write(outcomes), 5, done -> {
            report[0] = ReportAssembler.assemble(spec, done);
            return UnitResults.write(report[0]);
        })).isTrue();
        return new Finished(id, spec, report[0]);
    }

    private static EvaluationSpec spec(String version, int steps) {
        double epsilon = 8 / 255.0;
        return new EvaluationSpec("m", version, "sha", new RobustnessReport.ImageSource("generated", 4, 0L), Goal.FLIP,
                0, List.of(epsilon), List.of(new AttackRequest("pgd", null, null, steps, null, null, null, null, null, null,
                        null, null, null, null, null)),
                List.of(new EvaluationSpec.Run(0, "pgd", "linf", epsilon, Map.of("epsilon", epsilon, "steps", steps,
                        "goal", "flip", "seed", 0))), 4);
    }

    private double gauge(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).gauge().value();
    }
}
