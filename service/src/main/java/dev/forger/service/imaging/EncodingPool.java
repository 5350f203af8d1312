package dev.forger.service.imaging;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that encode responses (PNG, zip, npy). Encoding costs about as much as generating
 * (DESIGN.md), so it must not run on the batcher threads, which would then idle the network, nor
 * on the event loop. One thread per core: the work is CPU-bound.
 */
@ApplicationScoped
public class EncodingPool implements Executor {
    private final ExecutorService executor;

    public EncodingPool() {
        AtomicInteger id = new AtomicInteger();
        int threads = Runtime.getRuntime().availableProcessors();
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "forger-encode-" + id.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void execute(Runnable command) {
        executor.execute(command);
    }

    @PreDestroy
    void shutdown() {
        executor.shutdownNow();
    }
}
