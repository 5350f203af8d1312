package dev.forger.service.registry;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.inference.MicroBatcher;
import dev.forger.service.inference.OnnxNetwork;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * A bundle being served: its manifest, its ONNX Runtime sessions and one micro-batcher per network.
 * Futures complete on the batcher threads; callers continue on their own executors.
 */
public final class LoadedModel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LoadedModel.class);

    private final BundleManifest manifest;
    private final String source;
    private final Path directory;
    private final ImageShape imageShape;
    private final OnnxNetwork generatorNetwork;
    private final OnnxNetwork discriminatorNetwork;
    private final MicroBatcher generator;
    private final MicroBatcher discriminator;

    LoadedModel(BundleManifest manifest, String source, Path directory, ImageShape imageShape,
                OnnxNetwork generatorNetwork, OnnxNetwork discriminatorNetwork,
                MicroBatcher generator, MicroBatcher discriminator) {
        this.manifest = manifest;
        this.source = source;
        this.directory = directory;
        this.imageShape = imageShape;
        this.generatorNetwork = generatorNetwork;
        this.discriminatorNetwork = discriminatorNetwork;
        this.generator = generator;
        this.discriminator = discriminator;
    }

    public String name() {
        return manifest.name();
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** Where the bundle came from, for logs: a folder, a zip, or the classpath. */
    public String source() {
        return source;
    }

    public ImageShape imageShape() {
        return imageShape;
    }

    public int latentDim() {
        return manifest.latent().dim();
    }

    /** Images (NCHW in [-1, 1]) for {@code count} latent vectors packed in {@code z}. */
    public CompletableFuture<float[]> generate(float[] z, int count) {
        return generator.submit(z, count);
    }

    /** One logit per image for {@code count} images packed in {@code images}. */
    public CompletableFuture<float[]> score(float[] images, int count) {
        return discriminator.submit(images, count);
    }

    /**
     * The bundle's pre-computed gradient graph, if it ships one. The attack endpoints open a
     * session (and a batcher of their own) on it, or derive one from the discriminator with
     * {@code graph}'s differentiation when it is absent.
     */
    public Optional<Path> discriminatorGradientFile() {
        return Optional.ofNullable(manifest.discriminatorGradient()).map(g -> directory.resolve(g.file()));
    }

    public Path discriminatorFile() {
        return directory.resolve(manifest.discriminator().file());
    }

    @Override
    public void close() {
        generator.close();
        discriminator.close();
        try {
            generatorNetwork.close();
            discriminatorNetwork.close();
        } catch (Exception e) {
            LOG.warnf(e, "%s: closing sessions failed", name());
        }
    }
}
