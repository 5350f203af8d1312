package dev.forger.service.registry;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.service.attacks.AttackModel;
import dev.forger.service.attacks.BatcherAttackModel;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.inference.GradientRunner;
import dev.forger.service.inference.MicroBatcher;
import dev.forger.service.inference.OnnxNetwork;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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
    private final Gradient gradient;
    private final AttackModel attackModel;
    /** Runs queued and not yet answered, and when the last one was queued or answered: see {@link #idleFor}. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastUseNanos = System.nanoTime();

    /**
     * The gradient graph's session and batcher, or why there is none (the discriminator could not be
     * differentiated): white-box attacks then fail with a problem naming the reason, black-box ones work.
     *
     * @param source "discriminator-grad.onnx" (the bundle's) or "derived" (graph's differentiation at load)
     */
    record Gradient(GradientRunner network, MicroBatcher batcher, String source, String unavailable) {
        static Gradient unavailable(String reason) {
            return new Gradient(null, null, "none", reason);
        }
    }

    LoadedModel(BundleManifest manifest, String source, Path directory, ImageShape imageShape,
                OnnxNetwork generatorNetwork, OnnxNetwork discriminatorNetwork,
                MicroBatcher generator, MicroBatcher discriminator, Gradient gradient) {
        this.manifest = manifest;
        this.source = source;
        this.directory = directory;
        this.imageShape = imageShape;
        this.generatorNetwork = generatorNetwork;
        this.discriminatorNetwork = discriminatorNetwork;
        this.generator = generator;
        this.discriminator = discriminator;
        this.gradient = gradient;
        this.attackModel = new BatcherAttackModel(imageShape,
                (items, count) -> tracked(() -> discriminator.submit(items, count)),
                gradient.batcher() != null ? (items, count) -> tracked(() -> gradient.batcher().submit(items, count))
                        : (items, count) -> {
                    throw new ClientProblem(ProblemType.INVALID_PARAMETER, "method", "model '" + name()
                            + "' has no gradient graph (" + gradient.unavailable() + "), so white-box attacks"
                            + " cannot run on it; the black-box attacks spsa and square can");
                });
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
        return tracked(() -> generator.submit(z, count));
    }

    /** One logit per image for {@code count} images packed in {@code images}. */
    public CompletableFuture<float[]> score(float[] images, int count) {
        return tracked(() -> discriminator.submit(images, count));
    }

    /**
     * Whether nothing has run on this model for {@code quietNanos}: no run is queued or unanswered, and none
     * was queued or answered in that time. The registry closes a replaced or unloaded model only then, so
     * requests (and attacks between their steps) that already hold it finish on it.
     */
    boolean idleFor(long quietNanos) {
        return inFlight.get() == 0 && System.nanoTime() - lastUseNanos >= quietNanos;
    }

    private CompletableFuture<float[]> tracked(Supplier<CompletableFuture<float[]>> run) {
        inFlight.incrementAndGet();
        lastUseNanos = System.nanoTime();
        CompletableFuture<float[]> result;
        try {
            result = run.get();
        } catch (RuntimeException e) { // queue full: nothing was queued
            inFlight.decrementAndGet();
            throw e;
        }
        result.whenComplete((out, error) -> {
            lastUseNanos = System.nanoTime();
            inFlight.decrementAndGet();
        });
        return result;
    }

    /**
     * The discriminator as attacks see it: forward calls through the discriminator's batcher, gradients
     * through the gradient graph's (the bundle's discriminator-grad.onnx, or one derived at load time).
     * Its calls block; use it from attack threads only.
     */
    public AttackModel attackModel() {
        return attackModel;
    }

    /** Whether white-box attacks can run: a gradient graph was loaded or derived. */
    public boolean hasGradients() {
        return gradient.batcher() != null;
    }

    /** Where the gradient graph came from: "discriminator-grad.onnx" (the bundle's file), "derived", or "none". */
    public String gradientSource() {
        return gradient.source();
    }

    /** The bundle's pre-computed gradient graph file, if it ships one. */
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
        if (gradient.batcher() != null) {
            gradient.batcher().close();
        }
        try {
            generatorNetwork.close();
            discriminatorNetwork.close();
            if (gradient.network() != null) {
                gradient.network().close();
            }
        } catch (Exception e) {
            LOG.warnf(e, "%s: closing sessions failed", name());
        }
    }
}
