package dev.forger.service.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Coalesces concurrent requests for one network into shared runs.
 *
 * <p>Callers {@link #submit} items and get a future; one dedicated platform thread takes the oldest
 * waiting request, waits at most {@code maxDelay} (counted from when that request arrived) for
 * more, packs up to {@code maxBatchSize} items and runs them in one call. Under load the queue is
 * never empty, so batches fill without any waiting; when idle a lone request pays at most
 * {@code maxDelay}. The thread is a platform thread on purpose: ONNX Runtime is JNI and would pin
 * a virtual thread's carrier.
 *
 * <p>A request larger than {@code maxBatchSize} is split into chunks that may ride in different
 * batches; its future completes when the last chunk is done. The queue holds at most
 * {@code queueCapacity} chunks; a request that does not fit whole is refused with
 * {@link QueueFullException} and nothing of it is queued.
 *
 * <p>Futures are completed on the batcher thread: callers must move follow-up work (image
 * encoding) to their own executor with the {@code *Async} methods.
 */
public final class MicroBatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MicroBatcher.class);

    private final String name;
    private final int inputSize;
    private final int outputSize;
    private final BatchingSettings settings;
    private final BatchRunner runner;
    private final BatchObserver observer;
    private final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    private final Semaphore capacity;
    private final Thread worker;
    private volatile boolean running = true;

    /**
     * @param name       names the thread and errors, e.g. {@code mnist-dcgan/generator}
     * @param inputSize  floats per input item (100 for a z of dim 100; C*H*W for an image)
     * @param outputSize floats per output item
     */
    public MicroBatcher(String name, int inputSize, int outputSize, BatchingSettings settings,
                        BatchRunner runner, BatchObserver observer) {
        this.name = name;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.settings = settings;
        this.runner = runner;
        this.observer = observer;
        this.capacity = new Semaphore(settings.queueCapacity());
        this.worker = new Thread(this::workLoop, "forger-batch-" + name);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    public String name() {
        return name;
    }

    public BatchingSettings settings() {
        return settings;
    }

    /**
     * Queues {@code count} items packed in {@code items} (length {@code count * inputSize}).
     *
     * @return the outputs, {@code count * outputSize} floats in the order of the inputs
     * @throws QueueFullException when the queue cannot take the whole request now
     */
    public CompletableFuture<float[]> submit(float[] items, int count) {
        if (count < 1 || items.length != count * inputSize) {
            throw new IllegalArgumentException(name + ": expected " + count + " x " + inputSize
                    + " floats, got " + items.length);
        }
        if (!running) {
            return CompletableFuture.failedFuture(new IllegalStateException(name + " is shut down"));
        }
        int max = settings.maxBatchSize();
        int chunks = (count + max - 1) / max;
        if (!capacity.tryAcquire(chunks)) {
            observer.rejected();
            throw new QueueFullException(name, settings.queueCapacity());
        }
        Request request = new Request(count, chunks);
        long now = System.nanoTime();
        for (int first = 0; first < count; first += max) {
            int n = Math.min(max, count - first);
            float[] slice = new float[n * inputSize];
            System.arraycopy(items, first * inputSize, slice, 0, slice.length);
            queue.add(new Chunk(request, first, n, slice, now));
        }
        return request.future;
    }

    /** Stops the thread; requests still waiting fail. */
    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Chunk chunk; (chunk = queue.poll()) != null; ) {
            chunk.request.future.completeExceptionally(new IllegalStateException(name + " is shut down"));
        }
    }

    private void workLoop() {
        Chunk carry = null;
        while (running) {
            try {
                Chunk first = carry != null ? carry : takeNext();
                carry = null;
                if (first == null) {
                    continue;
                }
                List<Chunk> batch = new ArrayList<>();
                batch.add(first);
                int total = first.count;
                long deadline = first.enqueuedNanos + settings.maxDelay().toNanos();
                while (total < settings.maxBatchSize()) {
                    long wait = deadline - System.nanoTime();
                    Chunk next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    capacity.release();
                    if (total + next.count > settings.maxBatchSize()) {
                        carry = next; // starts the next batch, keeping arrival order
                        break;
                    }
                    batch.add(next);
                    total += next.count;
                }
                runBatch(batch, total);
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException | Error e) {
                // never let the worker die: a dead worker would hang every later request
                LOG.errorf(e, "%s: batch loop failed", name);
            }
        }
    }

    private Chunk takeNext() throws InterruptedException {
        Chunk chunk = queue.poll(100, TimeUnit.MILLISECONDS);
        if (chunk != null) {
            capacity.release();
        }
        return chunk;
    }

    private void runBatch(List<Chunk> batch, int total) {
        long start = System.nanoTime();
        float[] input = new float[total * inputSize];
        int offset = 0;
        for (Chunk chunk : batch) {
            observer.waited(start - chunk.enqueuedNanos);
            System.arraycopy(chunk.items, 0, input, offset, chunk.items.length);
            offset += chunk.items.length;
        }
        float[] output;
        try {
            output = runner.run(input, total);
            if (output.length != total * outputSize) {
                throw new IllegalStateException(name + ": network returned " + output.length
                        + " floats for " + total + " items, expected " + total * outputSize);
            }
        } catch (Exception | Error e) {
            LOG.errorf(e, "%s: batch of %d failed", name, total);
            for (Chunk chunk : batch) {
                chunk.request.future.completeExceptionally(e);
            }
            return;
        }
        observer.batchRan(total, System.nanoTime() - start);
        offset = 0;
        for (Chunk chunk : batch) {
            chunk.request.deliver(chunk, output, offset, outputSize);
            offset += chunk.count * outputSize;
        }
    }

    /** One caller's request; completes when all of its chunks have been delivered. */
    private static final class Request {
        final CompletableFuture<float[]> future = new CompletableFuture<>();
        final int count;
        int chunksLeft; // touched only by the single worker thread
        float[] result;

        Request(int count, int chunks) {
            this.count = count;
            this.chunksLeft = chunks;
        }

        void deliver(Chunk chunk, float[] batchOutput, int offset, int outputSize) {
            if (result == null) {
                result = new float[count * outputSize];
            }
            System.arraycopy(batchOutput, offset, result, chunk.first * outputSize, chunk.count * outputSize);
            if (--chunksLeft == 0) {
                future.complete(result);
            }
        }
    }

    /** Up to maxBatchSize consecutive items of one request. */
    private record Chunk(Request request, int first, int count, float[] items, long enqueuedNanos) {}
}
