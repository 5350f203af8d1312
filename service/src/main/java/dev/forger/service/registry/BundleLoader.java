package dev.forger.service.registry;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.forger.graph.manifest.BundleManifest;
import dev.forger.graph.manifest.ManifestValidator;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.inference.BatchingSettings;
import dev.forger.service.inference.LatentSampler;
import dev.forger.service.inference.MicroBatcher;
import dev.forger.service.inference.OnnxNetwork;
import dev.forger.service.metrics.ForgerMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Loads one bundle directory: validates the manifest and checksums, opens both ONNX Runtime
 * sessions, starts their batchers and proves the pair works with a warm-up inference (one latent
 * through the generator, its image through the discriminator). Anything wrong is a
 * {@link BundleRefusedException} with a reason fit for one log line.
 */
final class BundleLoader {
    private static final long WARM_UP_SECONDS = 120;

    private final OrtEnvironment environment;
    private final BatchingSettings batching;
    private final int intraOpThreads;
    private final ForgerMetrics metrics;

    BundleLoader(OrtEnvironment environment, BatchingSettings batching, int intraOpThreads, ForgerMetrics metrics) {
        this.environment = environment;
        this.batching = batching;
        this.intraOpThreads = intraOpThreads;
        this.metrics = metrics;
    }

    LoadedModel load(Path directory, String source) {
        BundleManifest manifest;
        try {
            manifest = ManifestValidator.readValid(directory);
        } catch (IOException | RuntimeException e) {
            throw new BundleRefusedException(source, e.getMessage());
        }
        String name = manifest.name();
        BundleManifest.Image image = manifest.image();
        ImageShape shape;
        try {
            shape = new ImageShape(image.channels(), image.height(), image.width());
        } catch (IllegalArgumentException e) {
            throw new BundleRefusedException(source, "image: " + e.getMessage());
        }
        OnnxNetwork generatorNet = null;
        OnnxNetwork discriminatorNet = null;
        try {
            generatorNet = OnnxNetwork.open(environment, directory.resolve(manifest.generator().file()),
                    manifest.generator().input(), manifest.generator().output(),
                    new long[] {manifest.latent().dim()}, shape.size(), intraOpThreads);
            discriminatorNet = OnnxNetwork.open(environment, directory.resolve(manifest.discriminator().file()),
                    manifest.discriminator().input(), manifest.discriminator().output(),
                    new long[] {shape.channels(), shape.height(), shape.width()}, 1, intraOpThreads);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(generatorNet);
            throw new BundleRefusedException(source, "ONNX Runtime cannot use it: " + e.getMessage());
        }
        MicroBatcher generator = new MicroBatcher(name + "/generator", generatorNet.inputSize(),
                generatorNet.outputSize(), batching, generatorNet, metrics.batchObserver(name, "generator"));
        MicroBatcher discriminator = new MicroBatcher(name + "/discriminator", discriminatorNet.inputSize(),
                discriminatorNet.outputSize(), batching, discriminatorNet,
                metrics.batchObserver(name, "discriminator"));
        LoadedModel model = new LoadedModel(manifest, source, directory, shape, generatorNet, discriminatorNet,
                generator, discriminator);
        try {
            warmUp(model);
        } catch (RuntimeException e) {
            model.close();
            throw new BundleRefusedException(source, "warm-up inference failed: " + e.getMessage());
        }
        return model;
    }

    /** Runs the pair once, so the first client does not pay for ORT's lazy initialisation. */
    private static void warmUp(LoadedModel model) {
        try {
            float[] z = LatentSampler.sample(model.manifest().latent(), 0, 1);
            float[] image = model.generate(z, 1).get(WARM_UP_SECONDS, TimeUnit.SECONDS);
            float[] logit = model.score(image, 1).get(WARM_UP_SECONDS, TimeUnit.SECONDS);
            if (!Float.isFinite(logit[0])) {
                throw new IllegalStateException("the discriminator answered " + logit[0]);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + WARM_UP_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static void closeQuietly(OnnxNetwork network) {
        if (network != null) {
            try {
                network.close();
            } catch (OrtException e) {
                // already failing; the refusal says why
            }
        }
    }
}
