package dev.forger.service.registry;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.service.attacks.AttackModel;
import dev.forger.service.attacks.AttackSpace;
import dev.forger.service.attacks.BatcherAttackModel;
import dev.forger.service.attacks.BatcherAttackModel.Submitter;
import dev.forger.service.attacks.ClassifierNetworks;
import dev.forger.service.attacks.ClassifierNetworks.ClassLoss;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.inference.GradientRunner;
import dev.forger.service.inference.MicroBatcher;
import dev.forger.service.inference.OnnxNetwork;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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

    /** The bundle's optional classifier: its session, batcher ({@code [image]} → {@code [logits]}) and class names. */
    record Classifier(OnnxNetwork network, MicroBatcher batcher, List<String> classes) {
        void close() {
            batcher.close();
            try {
                network.close();
            } catch (Exception e) {
                LOG.debugf(e, "closing %s", batcher.name());
            }
        }
    }

    private final List<BundleFile> files;
    private final ComposedGraphs composed;
    private final Classifier classifier;
    private final AttackModel latentAttackModel;
    private final ClassifierNetworks pixelClassifier;
    private final ClassifierNetworks latentClassifier;

    LoadedModel(BundleManifest manifest, String source, Path directory, List<BundleFile> files, ImageShape imageShape,
                OnnxNetwork generatorNetwork, OnnxNetwork discriminatorNetwork,
                MicroBatcher generator, MicroBatcher discriminator, Gradient gradient, ComposedGraphs composed,
                Classifier classifier) {
        this.files = List.copyOf(files);
        this.composed = composed;
        this.classifier = classifier;
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
        AttackSpace latent = AttackSpace.latent(manifest.latent());
        this.latentAttackModel = composed == null || composed.latentGradient == null ? null
                : new BatcherAttackModel(imageShape, latent, tracking(composed.latentForward.batcher()),
                        tracking(composed.latentGradient.batcher()));
        if (classifier != null && composed != null && composed.classGoalsUnavailable == null) {
            int classes = classifier.classes().size();
            Map<ClassLoss, Submitter> pixel = new EnumMap<>(ClassLoss.class);
            Map<ClassLoss, Submitter> latentGradients = new EnumMap<>(ClassLoss.class);
            composed.pixelClass.forEach((loss, graph) -> pixel.put(loss, tracking(graph.batcher())));
            composed.latentClass.forEach((loss, graph) -> latentGradients.put(loss, tracking(graph.batcher())));
            this.pixelClassifier = new ClassifierGraphs(AttackSpace.pixel(imageShape), imageShape, classes,
                    (images, count) -> verdicts(images, count, classes), pixel);
            this.latentClassifier = new ClassifierGraphs(latent, imageShape, classes,
                    tracking(composed.latentClassifierForward.batcher()), latentGradients);
        } else {
            this.pixelClassifier = null;
            this.latentClassifier = null;
        }
    }

    private Submitter tracking(MicroBatcher batcher) {
        return (items, count) -> tracked(() -> batcher.submit(items, count));
    }

    /** Per image the classifier's K logits, then the discriminator's logit: two batchers, run side by side. */
    private CompletableFuture<float[]> verdicts(float[] images, int count, int classes) {
        return classify(images, count).thenCombine(score(images, count), (logits, logit) -> {
            float[] out = new float[count * (classes + 1)];
            for (int i = 0; i < count; i++) {
                System.arraycopy(logits, i * classes, out, i * (classes + 1), classes);
                out[i * (classes + 1) + classes] = logit[i];
            }
            return out;
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

    /**
     * The discriminator seen through the generator, for attacks in latent space: points are latents, forward
     * and gradient calls run the cached z → G → D graphs. Empty when they could not be built
     * ({@link #latentUnavailable()} says why).
     */
    public Optional<AttackModel> latentAttackModel() {
        return Optional.ofNullable(latentAttackModel);
    }

    /** Why latent attacks are off for this bundle; null when they are on. */
    public String latentUnavailable() {
        return composed == null ? "the bundle's composed graphs were not built" : composed.latentUnavailable;
    }

    public boolean hasClassifier() {
        return classifier != null;
    }

    /** The classifier's class names in output order (empty without a classifier). */
    public List<String> classNames() {
        return classifier == null ? List.of() : classifier.classes();
    }

    /** The classifier's K logits per image for {@code count} images; only when {@link #hasClassifier()}. */
    public CompletableFuture<float[]> classify(float[] images, int count) {
        if (classifier == null) {
            throw new IllegalStateException(name() + " has no classifier");
        }
        return tracked(() -> classifier.batcher().submit(images, count));
    }

    /**
     * The classifier beside the discriminator, in pixel or latent space, for class goals. Empty without a
     * classifier, or when it could not be differentiated ({@link #classGoalsUnavailable()}).
     */
    public Optional<ClassifierNetworks> classifierNetworks(boolean latent) {
        return Optional.ofNullable(latent ? latentClassifier : pixelClassifier);
    }

    /** Why class goals cannot run on this bundle; null when they can. */
    public String classGoalsUnavailable() {
        if (classifier == null) {
            return "model '" + name() + "' has no classifier (its manifest declares no \"classifier\" member)";
        }
        return composed == null ? "the bundle's composed graphs were not built" : composed.classGoalsUnavailable;
    }

    /** The bundle's pre-computed gradient graph file, if it ships one. */
    public Optional<Path> discriminatorGradientFile() {
        return Optional.ofNullable(manifest.discriminatorGradient()).map(g -> directory.resolve(g.file()));
    }

    public Path discriminatorFile() {
        return directory.resolve(manifest.discriminator().file());
    }

    /** The bundle's files as they were when it was loaded, each with its sha256. */
    public List<BundleFile> files() {
        return files;
    }

    /** The sha256 of the discriminator served (hashed at load): what tells two versions of a model apart. */
    public String discriminatorSha256() {
        return files.stream().filter(f -> f.role().equals(BundleFile.DISCRIMINATOR)).findFirst().orElseThrow().sha256();
    }

    @Override
    public void close() {
        if (composed != null) {
            composed.close();
        }
        if (classifier != null) {
            classifier.close();
        }
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
