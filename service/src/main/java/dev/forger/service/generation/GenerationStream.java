package dev.forger.service.generation;

import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.ImageStreamWriter;
import dev.forger.service.inference.QueueFullException;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.metrics.GenerationMetrics;
import dev.forger.service.registry.LoadedModel;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One streamed generation: batches go through the model's generator batcher two at a time (one
 * running, one waiting), each is written as soon as it is done, and the next is submitted only once
 * the one before it has been written. A slow client therefore slows generation through the blocking
 * output stream (Vert.x's write queue) instead of filling memory, and a client that hangs up costs at
 * most the batch being written and the one queued: no batch is submitted after a failed write.
 *
 * <p>The first two batches are submitted by {@link StreamingGenerator#open}, before the response
 * starts, so that a full queue is still a 503; {@link #writeTo} then runs on the request's worker thread.
 */
public final class GenerationStream {
    private static final Logger LOG = Logger.getLogger(GenerationStream.class);
    /** Batches in the batcher at once: one running while the one before it is written, one waiting. */
    static final int WINDOW = 2;
    /** How long a batch may wait for room in a full batcher queue in the middle of a stream. */
    private static final long QUEUE_PATIENCE_NANOS = 30_000_000_000L;

    private final LoadedModel model;
    private final LatentSource latents;
    private final int batchSize;
    private final String format;
    private final ForgerMetrics forgerMetrics;
    private final GenerationMetrics metrics;
    private final Runnable onEnd;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>(WINDOW);
    private long submitted;
    private long written;
    private final long startNanos = System.nanoTime();

    private record Pending(long first, int count, CompletableFuture<float[]> images) {}

    GenerationStream(LoadedModel model, LatentSource latents, int batchSize, String format,
                     ForgerMetrics forgerMetrics, GenerationMetrics metrics, Runnable onEnd) {
        this.model = model;
        this.latents = latents;
        this.batchSize = batchSize;
        this.format = format;
        this.forgerMetrics = forgerMetrics;
        this.metrics = metrics;
        this.onEnd = onEnd;
    }

    /** Queues the first batches; a full queue throws {@link QueueFullException} (nothing else is queued then). */
    void start() {
        for (int i = 0; i < WINDOW && submitted < latents.count(); i++) {
            submit(false);
        }
    }

    public long count() {
        return latents.count();
    }

    public LoadedModel model() {
        return model;
    }

    /**
     * Writes every batch in order to {@code out}, then finishes it. Blocks the calling (worker) thread.
     *
     * @param clientGone whether the client's connection has closed; asked before each batch is written
     * @throws IOException when writing fails or the client hung up (no further batch is generated)
     */
    public void writeTo(ImageStreamWriter out, String path, BooleanSupplier clientGone) throws IOException {
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            // blocking writes there would buffer the whole stream instead of waiting for the client
            throw new IllegalStateException("a generation stream must be written from a worker thread");
        }
        String outcome = "failed";
        try {
            while (!inFlight.isEmpty()) {
                Pending next = inFlight.poll();
                float[] images = await(next);
                if (clientGone.getAsBoolean()) {
                    // checked here, not only by the failing write: once the connection is closed, Vert.x may
                    // drop writes silently instead of failing them (its write queue is never full again)
                    throw new IOException("the connection is closed");
                }
                out.write(new ImageBatch(model.imageShape(), next.count(), images), latents.offset() + next.first());
                written += next.count();
                metrics.delivered(model.name(), format, path, next.count());
                if (submitted < latents.count()) {
                    submit(true);
                }
            }
            out.finish();
            outcome = "complete";
        } catch (IOException e) {
            outcome = "client-gone";
            long unsent = submitted - written;
            LOG.infof("%s: the client of a %s stream went away after %d of %d images; %d generated images were"
                    + " not sent, no further batch is generated", model.name(), format, written, latents.count(), unsent);
            metrics.unsent(model.name(), unsent);
            // the API's error mapping knows a closed channel as a client that hung up: logged at DEBUG only
            java.nio.channels.ClosedChannelException gone = new java.nio.channels.ClosedChannelException();
            gone.initCause(e);
            throw gone;
        } finally {
            inFlight.clear(); // batches still running complete into nothing
            metrics.streamEnded(model.name(), format, outcome, written, System.nanoTime() - startNanos);
            onEnd.run();
        }
    }

    private float[] await(Pending pending) throws IOException {
        try {
            return pending.images().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(model.name() + ": generating images " + pending.first() + "+"
                    + pending.count() + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating (the service is stopping)", e);
        }
    }

    /** @param patient wait for room when the batcher's queue is full (mid-stream); else refuse at once */
    private void submit(boolean patient) {
        int n = (int) Math.min(batchSize, latents.count() - submitted);
        float[] z = latents.vectors(submitted, n);
        long deadline = System.nanoTime() + QUEUE_PATIENCE_NANOS;
        CompletableFuture<float[]> images;
        for (long backoffMillis = 1; ; backoffMillis = Math.min(50, backoffMillis * 2)) {
            try {
                images = model.generate(z, n);
                break;
            } catch (QueueFullException e) {
                if (!patient || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(backoffMillis);
            }
        }
        String name = model.name();
        images.thenAccept(done -> forgerMetrics.imagesGenerated(name, n));
        inFlight.add(new Pending(submitted, n, images));
        submitted += n;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the generator's queue", e);
        }
    }
}
