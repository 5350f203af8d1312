package dev.forger.service.registry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Models that are no longer served (replaced by a reload, or unloaded) but may still be held by requests
 * that looked them up just before: each closes once it has been idle for {@link #QUIET_SECONDS} — nothing
 * queued or unanswered, nothing run in that time — so a request, or an attack between its steps, finishes
 * on the model it started with instead of meeting a closed one. Checked once a second by one daemon thread,
 * started with the first retirement.
 */
final class Retirement {
    private static final Logger LOG = Logger.getLogger(Retirement.class);
    /** Longer than any pause between two runs of one request or attack step. */
    static final long QUIET_SECONDS = 5;

    private final List<LoadedModel> waiting = new ArrayList<>();
    private final Map<LoadedModel, Path> temporaryFolders = new ConcurrentHashMap<>();
    private ScheduledExecutorService checker;

    synchronized void add(LoadedModel model) {
        waiting.add(model);
        if (checker == null) {
            checker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "forger-model-retirement");
                t.setDaemon(true);
                return t;
            });
            checker.scheduleWithFixedDelay(this::closeIdle, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** The folder a zip was extracted to for {@code model}: deleted when the model closes. */
    void deleteWhenClosed(LoadedModel model, Path folder) {
        temporaryFolders.put(model, folder);
    }

    synchronized int waiting() {
        return waiting.size();
    }

    private synchronized void closeIdle() {
        long quiet = TimeUnit.SECONDS.toNanos(QUIET_SECONDS);
        waiting.removeIf(model -> {
            if (!model.idleFor(quiet)) {
                return false;
            }
            close(model);
            LOG.infof("closed the retired model '%s' version %s (from %s)", model.name(), model.manifest().version(),
                    model.source());
            return true;
        });
    }

    synchronized void closeAll() {
        waiting.forEach(this::close);
        waiting.clear();
        if (checker != null) {
            checker.shutdownNow();
        }
    }

    private void close(LoadedModel model) {
        try {
            model.close();
        } catch (RuntimeException e) {
            LOG.warnf(e, "closing the retired model '%s' failed", model.name());
        }
        Path folder = temporaryFolders.remove(model);
        if (folder != null) {
            BundleFiles.deleteQuietly(folder);
        }
    }
}
