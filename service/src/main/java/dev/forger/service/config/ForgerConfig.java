package dev.forger.service.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every {@code forger.*} setting of the service, typed. Each is also an environment variable
 * ({@code forger.batching.max-delay} is {@code FORGER_BATCHING_MAX_DELAY}).
 */
@ConfigMapping(prefix = "forger")
public interface ForgerConfig {

    Models models();

    Batching batching();

    Ort ort();

    Limits limits();

    Attacks attacks();

    Evaluation evaluation();

    Store store();

    interface Models {
        /** A folder whose sub-folders (with a manifest.json) and .zip files are bundles. */
        Optional<Path> dir();

        /** The bundle that requests without {@code model} use, and that readiness waits for. */
        @WithName("default")
        @WithDefault("mnist-dcgan")
        String defaultModel();

        /** Classpath folder of the bundle shipped inside the jar; loaded when it is there. */
        @WithDefault("models/mnist-dcgan")
        String embedded();
    }

    interface Batching {
        /** Most images in one ONNX Runtime run. */
        @WithDefault("64")
        int maxBatchSize();

        /** How long the first request of a batch waits for company before the batch runs anyway. */
        @WithDefault("2ms")
        Duration maxDelay();

        /** Requests (of up to max-batch-size images each) waiting per network; beyond it: 503. */
        @WithDefault("256")
        int queueCapacity();
    }

    interface Ort {
        /** Intra-op threads per session; one is the robust choice on a small, shared machine. */
        @WithDefault("1")
        int intraOpThreads();
    }

    interface Limits {
        /** Largest {@code count} of a generate answer held whole (png, grid, json) and of explicit latents; streams: forger.generation. */
        @WithDefault("256")
        int maxCount();

        /** Most images in one scoring request (multipart parts or npy batch). */
        @WithDefault("64")
        int maxImagesPerRequest();

        /** Largest width or height an uploaded image may declare in its header. */
        @WithDefault("4096")
        int maxImageSide();

        /** Largest request body; also configures quarkus.http.limits.max-body-size. */
        @WithDefault("8M")
        MemorySize maxUploadBytes();
    }

    interface Attacks {
        /** Most iterations of an iterative attack (steps; also Carlini-Wagner's Adam steps per search step). */
        @WithDefault("1000")
        int maxSteps();

        /** Most forward queries per image of a black-box attack (spsa, square). */
        @WithDefault("10000")
        int maxQueries();

        /** Most binary-search steps on Carlini-Wagner's constant. */
        @WithDefault("20")
        int maxSearchSteps();

        /** Threads running attacks; their ORT work goes through the batchers, so a few suffice. */
        @WithDefault("2")
        int threads();

        /** Attack requests waiting for a thread; beyond it: 503 with Retry-After. */
        @WithDefault("16")
        int queueCapacity();
    }

    interface Evaluation {
        /**
         * Units waiting in the shared store, over all replicas, beyond which a new evaluation is refused
         * with 503 + Retry-After.
         */
        @WithDefault("4096")
        int maxQueuedUnits();

        /** How long a finished evaluation's report is kept in the store; then it is deleted. */
        @WithDefault("30d")
        Duration retention();

        /** Most images in one evaluation. */
        @WithDefault("256")
        int maxImages();

        /** Most epsilons in one sweep. */
        @WithDefault("16")
        int maxEpsilons();

        /** Images per unit: a unit is one attack configuration at one epsilon over this many images. */
        @WithDefault("32")
        int unitImages();

        /** Units this replica runs at once (its worker threads). */
        @WithDefault("1")
        int workers();

        /**
         * How long a claimed unit stays this replica's without a heartbeat; a replica that dies loses its
         * units this long after its last heartbeat, then another replica redoes them. Also how long a replica
         * counts as live after its last heartbeat (an evaluation fails once every live replica refused it for
         * serving another version of its model), and how long a replica skips an evaluation it refused.
         */
        @WithDefault("15s")
        Duration lease();

        /** How often a replica renews its leases and checks whether its units were cancelled. */
        @WithDefault("1s")
        Duration heartbeat();

        /** How often an idle worker looks for queued units. */
        @WithDefault("500ms")
        Duration poll();

        /** Claims of one unit (each ended by its replica dying) after which the evaluation fails. */
        @WithDefault("3")
        int maxAttempts();
    }

    interface Store {
        /**
         * The folder of the embedded evaluation store (an H2 database file), used when no
         * {@code quarkus.datasource.jdbc.url} (PostgreSQL) is set.
         */
        @WithDefault("forger-data")
        Path dir();

        /** How long a starting service waits for the store's database before it refuses to start. */
        @WithDefault("30s")
        Duration connectTimeout();
    }
}
