package dev.forger.service.generation;

import dev.forger.service.config.ForgerConfig;
import dev.forger.service.inference.QueueFullException;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.metrics.GenerationMetrics;
import dev.forger.service.registry.LoadedModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;

/**
 * Opens generation streams: at most {@code forger.generation.max-streams} longer than
 * {@code forger.limits.max-count} at once (shorter ones are as brief as any answer held whole).
 */
@ApplicationScoped
public class StreamingGenerator {
    private final ForgerConfig config;
    private final GenerationConfig generation;
    private final ForgerMetrics forgerMetrics;
    private final GenerationMetrics metrics;
    private final Semaphore streams;

    public StreamingGenerator(ForgerConfig config, GenerationConfig generation, ForgerMetrics forgerMetrics,
                              GenerationMetrics metrics) {
        this.config = config;
        this.generation = generation;
        this.forgerMetrics = forgerMetrics;
        this.metrics = metrics;
        this.streams = new Semaphore(generation.maxStreams());
    }

    /**
     * Reserves a stream and queues its first batches. The caller must call {@link GenerationStream#writeTo}.
     *
     * @param format names the stream in metrics and logs (npy, zip, tar)
     * @throws QueueFullException when max-streams streams run already, or the generator's queue is full
     */
    public GenerationStream open(LoadedModel model, LatentSource latents, String format) {
        // a stream no longer than an answer held whole (max-count) is as short as one: it takes no slot, so
        // many small npy requests at once are served as before streams existed
        boolean counted = latents.count() > config.limits().maxCount();
        if (counted && !streams.tryAcquire()) {
            throw new QueueFullException("all " + generation.maxStreams() + " generation streams"
                    + " are busy (forger.generation.max-streams); retry shortly, or ask for at most "
                    + config.limits().maxCount() + " images, which need no stream slot");
        }
        Runnable release = counted ? streams::release : () -> { };
        GenerationStream stream = new GenerationStream(model, latents, config.batching().maxBatchSize(), format,
                forgerMetrics, metrics, release);
        try {
            stream.start();
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        metrics.streamStarted();
        return stream;
    }
}
