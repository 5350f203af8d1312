package dev.forger.service.metrics;

import dev.forger.service.attacks.Attack;
import dev.forger.service.attacks.AttackCatalog;
import dev.forger.service.inference.BatchObserver;
import dev.forger.service.problem.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@code forger_} metrics of DESIGN.md "Metrics", registered with Micrometer and exported on
 * {@code /q/metrics}. Latency timers publish histogram buckets so that Prometheus can compute
 * quantiles across instances.
 *
 * <p>Labelled counters whose label values are known in advance exist at 0 from the start (rejections by
 * reason at construction, each served model's series when {@link #modelServed} announces it), as Prometheus
 * advises for labelled counters: a dashboard or alert sees a series, and a rate, before the first event
 * instead of "no data". Meters are looked up once per label set and kept, not rebuilt on every call.
 */
@ApplicationScoped
public class ForgerMetrics {
    /** Buckets for D's verdicts: tenths of [0, 1], with finer steps near both ends. */
    private static final double[] PROBABILITY_BUCKETS =
            {0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0};
    /** The {@code source} of forger_images_scored_total and forger_real_probability. */
    public static final List<String> SCORE_SOURCES = List.of("upload", "generated", "adversarial");
    public static final List<String> ATTACK_OUTCOMES = List.of("success", "failure");
    /** Rejections that are no problem type of their own: the client hung up. */
    public static final String CLIENT_CLOSED = "client-closed";

    private final MeterRegistry registry;
    private final Map<String, Counter> generated = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> scored = new ConcurrentHashMap<>();
    private final Map<List<String>, DistributionSummary> probabilities = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> attacks = new ConcurrentHashMap<>();
    private final Map<String, Timer> attackSeconds = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
    private final Map<String, Counter> unitCounters = new ConcurrentHashMap<>();
    private final Map<String, Timer> unitTimers = new ConcurrentHashMap<>();
    private final Map<List<String>, java.util.concurrent.atomic.AtomicReference<Double>> successRatios =
            new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> robustnessWarnings = new ConcurrentHashMap<>();

    public ForgerMetrics(MeterRegistry registry) {
        this.registry = registry;
        rejectionReasons().forEach(this::rejections);
        AttackCatalog.all().forEach(attack -> attackTimer(attack.name()));
    }

    /** Every {@code reason} of forger_rejected_requests_total: the problem types' slugs, queue-full, client-closed. */
    public static List<String> rejectionReasons() {
        List<String> reasons = new ArrayList<>();
        for (ProblemType type : ProblemType.values()) {
            if (type != ProblemType.INTERNAL) { // a 500 is no refusal: it is logged with an error id instead
                reasons.add(reason(type));
            }
        }
        reasons.add(CLIENT_CLOSED);
        return List.copyOf(reasons);
    }

    /** The {@code reason} a refusal of this type is counted under: its slug, but queue-full for overload. */
    public static String reason(ProblemType type) {
        return type == ProblemType.OVERLOADED ? "queue-full" : type.uri().substring(type.uri().lastIndexOf(':') + 1);
    }

    /**
     * A model is being served: its labelled series start at 0 — images generated, scored and P(real) per
     * source, and attacked images per method and outcome.
     */
    public void modelServed(String model) {
        generatedCounter(model);
        for (String source : SCORE_SOURCES) {
            scoredCounter(model, source);
            probabilitySummary(model, source);
        }
        for (Attack attack : AttackCatalog.all()) {
            for (String outcome : ATTACK_OUTCOMES) {
                attackCounter(model, attack.name(), outcome);
            }
        }
    }

    /** Feeds forger_inference_seconds, forger_batch_size and forger_queue_seconds of one network. */
    public BatchObserver batchObserver(String model, String network) {
        Timer inference = Timer.builder("forger.inference").description("ONNX Runtime time per batch run")
                .tags("model", model, "network", network).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        DistributionSummary batchSize = DistributionSummary.builder("forger.batch.size")
                .description("Images per batch run").tags("model", model, "network", network).register(registry);
        Timer queue = Timer.builder("forger.queue").description("Time a request waited for its batch to start")
                .tags("model", model, "network", network).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        return new BatchObserver() {
            @Override
            public void batchRan(int items, long runNanos) {
                inference.record(runNanos, TimeUnit.NANOSECONDS);
                batchSize.record(items);
            }

            @Override
            public void waited(long queueNanos) {
                queue.record(queueNanos, TimeUnit.NANOSECONDS);
            }
            // rejections are counted once per HTTP request by the API layer, with their reason
        };
    }

    public void imagesGenerated(String model, int count) {
        generatedCounter(model).increment(count);
    }

    /** @param source upload, generated or adversarial */
    public void imagesScored(String model, String source, int count) {
        scoredCounter(model, source).increment(count);
    }

    public void realProbability(String model, String source, double probability) {
        probabilitySummary(model, source).record(probability);
    }

    /**
     * One attack run over a batch: each image's outcome in forger_attacks_total and the run's wall
     * time in forger_attack_seconds.
     */
    public void attackRan(String model, String method, int successes, int failures, long nanos) {
        attackCounter(model, method, "success").increment(successes);
        attackCounter(model, method, "failure").increment(failures);
        attackTimer(method).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A refusal with a problem document of this type. */
    public void rejected(ProblemType type) {
        rejected(reason(type));
    }

    /** @param reason the problem type's slug, e.g. queue-full, wrong-image-size, body-too-large */
    public void rejected(String reason) {
        rejections(reason).increment();
    }

    /**
     * forger_evaluation_units{state}: evaluation units in the shared store (queued or running), the same
     * on every replica; an autoscaler scales on the queued ones.
     */
    public void evaluationUnits(String state, Supplier<Number> count) {
        Gauge.builder("forger.evaluation.units", count).description("Evaluation units in the shared store, by state")
                .tag("state", state).strongReference(true).register(registry);
    }

    /**
     * One evaluation unit this replica worked on: forger_evaluation_units_processed_total{outcome} (done,
     * lease-lost, stopped, released, failed) and its wall time in forger_evaluation_unit_seconds.
     */
    public void evaluationUnitFinished(String outcome, long nanos) {
        unitsProcessed(outcome).increment();
        unitTime(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** forger_evaluation_store_seconds{operation}: one call of a worker to the evaluation store (claim, complete). */
    public Timer storeCall(String operation) {
        return Timer.builder("forger.evaluation.store").description("Time of a worker's call to the evaluation store")
                .tag("operation", operation).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /**
     * forger_attack_success_ratio{model, version, attack, norm, epsilon}: the success rate of an attack in the last
     * evaluation that completed on this replica at those settings (epsilon "unbounded" for deepfool and cw). Set
     * by the replica that finished the evaluation's last unit; query it with max by (…) over replicas.
     */
    public void attackSuccessRatio(String model, String version, String attack, String norm, String epsilon,
                                   double ratio) {
        successRatios.computeIfAbsent(List.of(model, version, attack, norm, epsilon), key -> {
            var value = new java.util.concurrent.atomic.AtomicReference<Double>(Double.NaN);
            Gauge.builder("forger.attack.success.ratio", value, v -> v.get())
                    .description("Success rate of an attack in the last completed robustness evaluation at these settings")
                    .tags("model", model, "version", version, "attack", attack, "norm", norm, "epsilon", epsilon)
                    .strongReference(true).register(registry);
            return value;
        }).set(ratio);
    }

    /**
     * forger_robustness_regression_ratio{model, version, previous_version, attack, norm, epsilon}: how much more an
     * attack succeeds on {@code version} than it did on the model's previous version in the last evaluation at the
     * same settings (positive: the new version is less robust). What the ForgerLessRobustThanPreviousVersion
     * alert reads.
     */
    public void robustnessRegression(String model, String version, String previousVersion, String attack, String norm,
                                     String epsilon, double increase) {
        successRatios.computeIfAbsent(List.of("regression", model, version, previousVersion, attack, norm, epsilon), key -> {
            var value = new java.util.concurrent.atomic.AtomicReference<Double>(Double.NaN);
            Gauge.builder("forger.robustness.regression.ratio", value, v -> v.get())
                    .description("Attack success on a model version minus that on its previous version, same settings")
                    .tags("model", model, "version", version, "previous_version", previousVersion, "attack", attack,
                            "norm", norm, "epsilon", epsilon)
                    .strongReference(true).register(registry);
            return value;
        }).set(increase);
    }

    /**
     * forger_robustness_warnings_total{model, version, check}: masking warnings of completed evaluations. Every
     * check a completed evaluation ran has its series (at 0 until it warns), so dashboards see the checks that pass.
     */
    public void robustnessChecked(String model, String version, String check, boolean warned) {
        Counter counter = robustnessWarnings.computeIfAbsent(List.of(model, version, check), key -> Counter.builder(
                "forger.robustness.warnings").description("Gradient-masking warnings raised by completed robustness evaluations")
                .tags("model", model, "version", version, "check", check).register(registry));
        if (warned) {
            counter.increment();
        }
    }

    /** Registers the unit counters and timers of every outcome at 0. */
    public void evaluationUnitOutcomes(List<String> outcomes) {
        outcomes.forEach(outcome -> {
            unitsProcessed(outcome);
            unitTime(outcome);
        });
    }

    private Counter unitsProcessed(String outcome) {
        return unitCounters.computeIfAbsent(outcome, o -> Counter.builder("forger.evaluation.units.processed")
                .description("Evaluation units this replica worked on, by outcome")
                .tag("outcome", o).register(registry));
    }

    private Timer unitTime(String outcome) {
        return unitTimers.computeIfAbsent(outcome, o -> Timer.builder("forger.evaluation.unit")
                .description("Wall time of one evaluation unit on this replica")
                .tag("outcome", o).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry));
    }

    public void modelsLoaded(Supplier<Number> count) {
        Gauge.builder("forger.models.loaded", count).description("Model bundles being served")
                .strongReference(true).register(registry);
    }

    /** Bundles found but refused (bad manifest, checksum, ONNX file, warm-up): each also logged and in /api/v1/models. */
    public void modelsRefused(Supplier<Number> count) {
        Gauge.builder("forger.models.refused", count)
                .description("Model bundles found but refused; /api/v1/models and readiness say why")
                .strongReference(true).register(registry);
    }

    private Counter generatedCounter(String model) {
        return generated.computeIfAbsent(model, m -> Counter.builder("forger.images.generated")
                .description("Images produced by generators").tag("model", m).register(registry));
    }

    private Counter scoredCounter(String model, String source) {
        return scored.computeIfAbsent(List.of(model, source), key -> Counter.builder("forger.images.scored")
                .description("Images scored by discriminators").tags("model", model, "source", source)
                .register(registry));
    }

    private DistributionSummary probabilitySummary(String model, String source) {
        return probabilities.computeIfAbsent(List.of(model, source), key -> DistributionSummary
                .builder("forger.real.probability").description("The discriminator's verdicts: probability that an image is real")
                .tags("model", model, "source", source).serviceLevelObjectives(PROBABILITY_BUCKETS)
                .register(registry));
    }

    private Counter attackCounter(String model, String method, String outcome) {
        return attacks.computeIfAbsent(List.of(model, method, outcome), key -> Counter.builder("forger.attacks")
                .description("Images attacked, by whether the attack reached its goal")
                .tags("model", model, "method", method, "outcome", outcome).register(registry));
    }

    private Timer attackTimer(String method) {
        return attackSeconds.computeIfAbsent(method, m -> Timer.builder("forger.attack")
                .description("Wall time of one attack run over a request's images").tag("method", m)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry));
    }

    private Counter rejections(String reason) {
        return rejections.computeIfAbsent(reason, r -> Counter.builder("forger.rejected.requests")
                .description("Requests refused with a 4xx or 503 problem").tag("reason", r).register(registry));
    }
}
