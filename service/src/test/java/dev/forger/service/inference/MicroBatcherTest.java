package dev.forger.service.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {
    /** Items are pairs (a, b); the "network" answers a + b, so every answer identifies its input. */
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstBatchEntered = new CountDownLatch(1);
    private final CountDownLatch releaseFirstBatch = new CountDownLatch(1);
    private final AtomicInteger rejected = new AtomicInteger();
    private MicroBatcher batcher;

    private final BatchRunner sumPairs = (input, n) -> {
        batchSizes.add(n);
        if (batchSizes.size() == 1) {
            firstBatchEntered.countDown();
            releaseFirstBatch.await(10, TimeUnit.SECONDS);
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = input[2 * i] + input[2 * i + 1];
        }
        return out;
    };

    private final BatchObserver countRejections = new BatchObserver() {
        @Override
        public void rejected() {
            rejected.incrementAndGet();
        }
    };

    @AfterEach
    void close() {
        releaseFirstBatch.countDown();
        if (batcher != null) {
            batcher.close();
        }
    }

    private MicroBatcher start(int maxBatch, Duration maxDelay, int capacity) {
        batcher = new MicroBatcher("test/net", 2, 1, new BatchingSettings(maxBatch, maxDelay, capacity),
                sumPairs, countRejections);
        return batcher;
    }

    private static float[] pairs(int count, int base) {
        float[] items = new float[2 * count];
        for (int i = 0; i < count; i++) {
            items[2 * i] = base + i;
            items[2 * i + 1] = 1000;
        }
        return items;
    }

    @Test
    void concurrentRequestsShareOneRun() throws Exception {
        start(64, Duration.ofMillis(1), 100);
        CompletableFuture<float[]> blocker = batcher.submit(pairs(1, 0), 1);
        assertThat(firstBatchEntered.await(5, TimeUnit.SECONDS)).isTrue();

        // while the network is busy, 10 requests from 10 threads pile up ...
        List<CompletableFuture<float[]>> futures = new CopyOnWriteArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            int base = 100 * (c + 1);
            Thread client = new Thread(() -> futures.add(batcher.submit(pairs(3, base), 3)));
            clients.add(client);
            client.start();
        }
        for (Thread client : clients) {
            client.join();
        }
        releaseFirstBatch.countDown();

        // ... and go through in one run of 30 items, each answer back to its own caller
        for (CompletableFuture<float[]> future : futures) {
            float[] out = future.get(5, TimeUnit.SECONDS);
            assertThat(out).hasSize(3);
            assertThat(out[1]).isEqualTo(out[0] + 1);
            assertThat(out[2]).isEqualTo(out[0] + 2);
            assertThat(((int) out[0] - 1000) % 100).isZero();
        }
        assertThat(blocker.get()).containsExactly(1000f);
        assertThat(batchSizes).containsExactly(1, 30);
    }

    @Test
    void batchesNeverExceedMaxAndBigRequestsAreSplitInOrder() throws Exception {
        start(4, Duration.ofMillis(1), 100);
        releaseFirstBatch.countDown();
        float[] out = batcher.submit(pairs(10, 0), 10).get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 10; i++) {
            assertThat(out[i]).isEqualTo(1000f + i);
        }
        assertThat(batchSizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(4));
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
    }

    @Test
    void fullQueueRefusesWholeRequestsAndCountsThem() throws Exception {
        start(2, Duration.ZERO, 3);
        batcher.submit(pairs(1, 0), 1); // taken by the worker, which then blocks
        assertThat(firstBatchEntered.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<float[]> queued = batcher.submit(pairs(4, 10), 4); // 2 chunks of 2
        batcher.submit(pairs(1, 20), 1); // third chunk: queue now full

        assertThatThrownBy(() -> batcher.submit(pairs(1, 30), 1))
                .isInstanceOf(QueueFullException.class)
                .hasMessageContaining("test/net").hasMessageContaining("retry");
        assertThat(rejected).hasValue(1);

        releaseFirstBatch.countDown();
        assertThat(queued.get(5, TimeUnit.SECONDS)).containsExactly(1010f, 1011f, 1012f, 1013f);
        // once drained, the queue takes requests again
        assertThat(batcher.submit(pairs(1, 40), 1).get(5, TimeUnit.SECONDS)).containsExactly(1040f);
    }

    @Test
    void aLoneRequestWaitsAboutMaxDelayNotLonger() throws Exception {
        start(64, Duration.ofMillis(20), 10);
        releaseFirstBatch.countDown();
        long start = System.nanoTime();
        batcher.submit(pairs(1, 0), 1).get(5, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(millis).isBetween(15L, 1000L);
    }

    @Test
    void aFailingRunFailsItsRequestsAndTheBatcherGoesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        batcher = new MicroBatcher("test/flaky", 2, 1, new BatchingSettings(8, Duration.ZERO, 10),
                (input, n) -> {
                    if (calls.getAndIncrement() == 0) {
                        throw new IllegalStateException("boom");
                    }
                    return new float[n];
                }, BatchObserver.NONE);
        assertThatThrownBy(() -> batcher.submit(pairs(1, 0), 1).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasRootCauseMessage("boom");
        assertThat(batcher.submit(pairs(2, 0), 2).get(5, TimeUnit.SECONDS)).hasSize(2);
    }

    @Test
    void wrongSizedInputIsAProgrammingError() {
        start(8, Duration.ZERO, 10);
        assertThatThrownBy(() -> batcher.submit(new float[3], 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 x 2");
    }
}
