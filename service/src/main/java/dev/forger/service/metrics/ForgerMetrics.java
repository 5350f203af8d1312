package dev.forger.service.metrics;

import dev.forger.service.inference.BatchObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@code forger_} metrics of DESIGN.md "Metrics", registered with Micrometer and exported on
 * {@code /q/metrics}. Latency timers publish histogram buckets so that Prometheus can compute
 * quantiles across instances.
 */
@ApplicationScoped
public class ForgerMetrics {
    /** Buckets for D's verdicts: tenths of [0, 1], with finer steps near both ends. */
    private static final double[] PROBABILITY_BUCKETS =
            {0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0};

    private final MeterRegistry registry;

    public ForgerMetrics(MeterRegistry registry) {
        this.registry = registry;
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
        Counter.builder("forger.images.generated").description("Images produced by generators")
                .tag("model", model).register(registry).increment(count);
    }

    /** @param source upload, generated or adversarial */
    public void imagesScored(String model, String source, int count) {
        Counter.builder("forger.images.scored").description("Images scored by discriminators")
                .tags("model", model, "source", source).register(registry).increment(count);
    }

    public void realProbability(String model, String source, double probability) {
        DistributionSummary.builder("forger.real.probability")
                .description("The discriminator's verdicts: probability that an image is real")
                .tags("model", model, "source", source).serviceLevelObjectives(PROBABILITY_BUCKETS)
                .register(registry).record(probability);
    }

    /**
     * One attack run over a batch: each image's outcome in forger_attacks_total and the run's wall
     * time in forger_attack_seconds.
     */
    public void attackRan(String model, String method, int successes, int failures, long nanos) {
        attacks(model, method, "success").increment(successes);
        attacks(model, method, "failure").increment(failures);
        Timer.builder("forger.attack").description("Wall time of one attack run over a request's images")
                .tag("method", method).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter attacks(String model, String method, String outcome) {
        return Counter.builder("forger.attacks").description("Images attacked, by whether the attack reached its goal")
                .tags("model", model, "method", method, "outcome", outcome).register(registry);
    }

    /** @param reason the problem type's slug, e.g. queue-full, wrong-image-size, body-too-large */
    public void rejected(String reason) {
        Counter.builder("forger.rejected.requests").description("Requests refused with a 4xx or 503 problem")
                .tag("reason", reason).register(registry).increment();
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

    /** Registers the unit counters and timers of every outcome at 0. */
    public void evaluationUnitOutcomes(List<String> outcomes) {
        outcomes.forEach(outcome -> {
            unitsProcessed(outcome);
            unitTime(outcome);
        });
    }

    private Counter unitsProcessed(String outcome) {
        return Counter.builder("forger.evaluation.units.processed").description("Evaluation units this replica worked on, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    private Timer unitTime(String outcome) {
        return Timer.builder("forger.evaluation.unit").description("Wall time of one evaluation unit on this replica")
                .tag("outcome", outcome).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry);
    }

    public void modelsLoaded(Supplier<Number> count) {
        Gauge.builder("forger.models.loaded", count).description("Model bundles being served")
                .strongReference(true).register(registry);
    }
}
