package dev.forger.service.generation;

import dev.forger.service.config.ForgerConfig;
import dev.forger.service.inference.QueueFullException;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.metrics.GenerationMetrics;
import dev.forger.service.registry.LoadedModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;

/** Opens generation streams, at most {@code forger.generation.max-streams} at once. */
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
        if (!streams.tryAcquire()) {
            throw new QueueFullException("generation streams (forger.generation.max-streams)", generation.maxStreams());
        }
        GenerationStream stream = new GenerationStream(model, latents, config.batching().maxBatchSize(), format,
                forgerMetrics, metrics, streams::release);
        try {
            stream.start();
        } catch (RuntimeException e) {
            streams.release();
            throw e;
        }
        metrics.streamStarted();
        return stream;
    }
}
