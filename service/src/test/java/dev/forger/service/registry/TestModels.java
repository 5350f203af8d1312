package dev.forger.service.registry;

import ai.onnxruntime.OrtEnvironment;
import dev.forger.service.inference.BatchingSettings;
import dev.forger.service.metrics.ForgerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Loads bundles through the real {@link BundleLoader} for tests elsewhere that need a {@link LoadedModel} without Quarkus. */
public final class TestModels {
    /** Batches as large as an attack test sends, and no waiting for company: the tests call one at a time. */
    static final BatchingSettings BATCHING = new BatchingSettings(64, Duration.ZERO, 4096);

    private TestModels() {}

    /**
     * The bundle embedded in the service (classpath models/mnist-dcgan), copied to a temporary folder.
     *
     * @param deriveGradient derive the gradient graph from the discriminator instead of using the bundle's
     */
    public static LoadedModel embeddedDefault(boolean deriveGradient) {
        try {
            Path dir = BundleFiles.copyFromClasspath("models/mnist-dcgan", Files.createTempDirectory("forger-test-bundle-"))
                    .orElseThrow(() -> new IllegalStateException("no embedded bundle on the test classpath"));
            return load(dir, deriveGradient);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The configuration the registry tests use (batches of 8, 1 attack thread, 1,000 steps at most), for services. */
    public static dev.forger.service.config.ForgerConfig config() {
        return new TestConfig(null, "mnist-dcgan", "models/mnist-dcgan");
    }

    /** A bundle folder, loaded as the registry would. */
    public static LoadedModel load(Path dir, boolean deriveGradient) {
        return new BundleLoader(OrtEnvironment.getEnvironment(), BATCHING, 1,
                new ForgerMetrics(new SimpleMeterRegistry()), deriveGradient).load(dir, dir.toString());
    }
}
