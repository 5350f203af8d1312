package dev.forger.service.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The generation API's meters. {@code forger_images_generated_total} (in {@link ForgerMetrics}) counts
 * every image a generator makes, for whatever purpose; these say where they went:
 * <ul>
 *   <li>{@code forger_generation_images_total{model, format, path}}: images delivered, by response format
 *       and endpoint path;
 *   <li>{@code forger_generation_stream_seconds{model, format, outcome}}: each stream's duration, by how it
 *       ended ({@code complete}, {@code client-gone}, {@code failed});
 *   <li>{@code forger_generation_stream_images_per_second{model, format}}: each completed stream's rate;
 *   <li>{@code forger_generation_streams_active}: streams running now;
 *   <li>{@code forger_generation_unsent_images_total{model}}: images generated for a stream whose client
 *       had gone before they were written: what a hang-up cost (at most two batches per stream).
 * </ul>
 */
@ApplicationScoped
public class GenerationMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger activeStreams = new AtomicInteger();

    public GenerationMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("forger.generation.streams.active", activeStreams, AtomicInteger::get)
                .description("Generation streams running").register(registry);
    }

    /** @param path the endpoint, e.g. /api/v1/generate */
    public void delivered(String model, String format, String path, long images) {
        Counter.builder("forger.generation.images").description("Images delivered by the generation API")
                .tags("model", model, "format", format, "path", path).register(registry).increment(images);
    }

    public void streamStarted() {
        activeStreams.incrementAndGet();
    }

    /** @param outcome complete, client-gone or failed */
    public void streamEnded(String model, String format, String outcome, long images, long nanos) {
        activeStreams.decrementAndGet();
        Timer.builder("forger.generation.stream").description("Duration of one generation stream")
                .tags("model", model, "format", format, "outcome", outcome).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(2))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if ("complete".equals(outcome) && nanos > 0) {
            DistributionSummary.builder("forger.generation.stream.images.per.second")
                    .description("Rate of each completed generation stream").baseUnit("images")
                    .tags("model", model, "format", format).register(registry).record(images * 1e9 / nanos);
        }
    }

    public void unsent(String model, long images) {
        Counter.builder("forger.generation.unsent.images")
                .description("Images generated for streams whose client hung up before they were written")
                .tag("model", model).register(registry).increment(images);
    }
}
