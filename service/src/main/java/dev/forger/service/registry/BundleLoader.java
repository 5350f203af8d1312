package dev.forger.service.registry;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.forger.graph.autodiff.GradientGraph;
import dev.forger.graph.autodiff.Loss;
import dev.forger.graph.manifest.BundleManifest;
import dev.forger.graph.manifest.ManifestValidator;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.inference.BatchingSettings;
import dev.forger.service.inference.GradientRunner;
import dev.forger.service.inference.LatentSampler;
import dev.forger.service.inference.MicroBatcher;
import dev.forger.service.inference.OnnxNetwork;
import dev.forger.service.metrics.ForgerMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Loads one bundle directory: validates the manifest and checksums, opens the ONNX Runtime sessions
 * (generator, discriminator, the optional classifier, and the discriminator's gradient graph: the bundle's
 * own, or one derived from the discriminator with {@code graph}'s differentiation), builds and caches the
 * composed graphs ({@link ComposedGraphs}: z → G → D and, with a classifier, the class-goal graphs in pixel
 * and latent space), starts their batchers and proves they work with a warm-up inference (one latent
 * through the generator, its image through the discriminator and every graph, whose logits must agree). Anything wrong is a
 * {@link BundleRefusedException} with a reason fit for one log line; a discriminator that cannot be
 * differentiated only disables white-box attacks.
 */
final class BundleLoader {
    private static final Logger LOG = Logger.getLogger(BundleLoader.class);
    private static final long WARM_UP_SECONDS = 120;
    /** How far the gradient graph's logit may stray from the discriminator's: float rounding, not a different net. */
    private static final float LOGIT_AGREEMENT = 1e-3f;

    private final OrtEnvironment environment;
    private final BatchingSettings batching;
    private final int intraOpThreads;
    private final ForgerMetrics metrics;
    private final boolean alwaysDeriveGradient;

    BundleLoader(OrtEnvironment environment, BatchingSettings batching, int intraOpThreads, ForgerMetrics metrics) {
        this(environment, batching, intraOpThreads, metrics, false);
    }

    /** @param alwaysDeriveGradient derive the gradient graph even when the bundle ships one (tests compare the two) */
    BundleLoader(OrtEnvironment environment, BatchingSettings batching, int intraOpThreads, ForgerMetrics metrics,
                 boolean alwaysDeriveGradient) {
        this.environment = environment;
        this.batching = batching;
        this.intraOpThreads = intraOpThreads;
        this.metrics = metrics;
        this.alwaysDeriveGradient = alwaysDeriveGradient;
    }

    LoadedModel load(Path directory, String source) {
        BundleManifest manifest;
        try {
            manifest = ManifestValidator.readValid(directory);
        } catch (IOException | RuntimeException e) {
            throw new BundleRefusedException(source, e.getMessage());
        }
        List<BundleFile> files;
        try {
            files = BundleFile.hash(directory, manifest);
        } catch (IOException e) {
            throw new BundleRefusedException(source, "cannot read its files: " + e.getMessage());
        }
        String name = manifest.name();
        BundleManifest.Image image = manifest.image();
        ImageShape shape;
        try {
            shape = new ImageShape(image.channels(), image.height(), image.width());
        } catch (IllegalArgumentException e) {
            throw new BundleRefusedException(source, "image: " + e.getMessage());
        }
        BundleNets nets;
        try {
            nets = BundleNets.read(directory, manifest);
        } catch (IOException | RuntimeException e) {
            throw new BundleRefusedException(source, e.getMessage());
        }
        OnnxNetwork generatorNet = null;
        OnnxNetwork discriminatorNet = null;
        OnnxNetwork classifierNet = null;
        try {
            long[] latentShape = {manifest.latent().dim()};
            generatorNet = nets.adaptedGenerator() == null
                    ? OnnxNetwork.open(environment, directory.resolve(manifest.generator().file()),
                            manifest.generator().input(), manifest.generator().output(), latentShape, shape.size(),
                            intraOpThreads)
                    : OnnxNetwork.open(environment, nets.adaptedGenerator().toBytes(), manifest.generator().file(),
                            nets.generator().input(), nets.generator().output(), latentShape, shape.size(), intraOpThreads);
            discriminatorNet = OnnxNetwork.open(environment, directory.resolve(manifest.discriminator().file()),
                    manifest.discriminator().input(), manifest.discriminator().output(),
                    new long[] {shape.channels(), shape.height(), shape.width()}, 1, intraOpThreads);
            if (nets.classifier() != null) {
                classifierNet = OnnxNetwork.open(environment, directory.resolve(manifest.classifier().file()),
                        nets.classifier().input(), nets.classifier().output(),
                        new long[] {shape.channels(), shape.height(), shape.width()}, nets.classes().size(), intraOpThreads);
            }
        } catch (OrtException | RuntimeException e) {
            closeQuietly(generatorNet);
            closeQuietly(discriminatorNet);
            throw new BundleRefusedException(source, "ONNX Runtime cannot use it: " + e.getMessage());
        }
        MicroBatcher generator = new MicroBatcher(name + "/generator", generatorNet.inputSize(),
                generatorNet.outputSize(), batching, generatorNet.clippedTo(-1f, 1f), metrics.batchObserver(name, "generator"));
        MicroBatcher discriminator = new MicroBatcher(name + "/discriminator", discriminatorNet.inputSize(),
                discriminatorNet.outputSize(), batching, discriminatorNet,
                metrics.batchObserver(name, "discriminator"));
        LoadedModel.Classifier classifier = classifierNet == null ? null : new LoadedModel.Classifier(classifierNet,
                new MicroBatcher(name + "/classifier", classifierNet.inputSize(), classifierNet.outputSize(), batching,
                        classifierNet, metrics.batchObserver(name, "classifier")), nets.classes());
        LoadedModel.Gradient gradient;
        ComposedGraphs composed;
        try {
            gradient = gradient(directory, manifest, shape, source);
            composed = composed(manifest, shape, nets, source);
        } catch (BundleRefusedException e) {
            generator.close();
            discriminator.close();
            closeQuietly(generatorNet);
            closeQuietly(discriminatorNet);
            if (classifier != null) {
                classifier.close();
            }
            throw e;
        }
        LoadedModel model = new LoadedModel(manifest, source, directory, files, shape, generatorNet, discriminatorNet,
                generator, discriminator, gradient, composed, classifier);
        try {
            warmUp(model);
        } catch (RuntimeException e) {
            model.close();
            throw new BundleRefusedException(source, "warm-up inference failed: " + e.getMessage());
        }
        return model;
    }

    /** Builds the bundle's composed graphs (latent, classifier); ONNX Runtime refusing one refuses the bundle. */
    private ComposedGraphs composed(BundleManifest manifest, ImageShape shape, BundleNets nets, String source) {
        try {
            return ComposedGraphs.build(environment, batching, intraOpThreads, metrics, manifest.name(), nets.generator(),
                    nets.discriminator(), nets.classifier(), manifest.latent().dim(), shape, nets.classes().size());
        } catch (OrtException | RuntimeException e) {
            throw new BundleRefusedException(source, "ONNX Runtime cannot use a composed graph: " + e.getMessage());
        }
    }

    /**
     * Opens the bundle's gradient graph, or derives one when it ships none (or when asked to). A shipped
     * graph that ONNX Runtime refuses refuses the bundle, as any broken file does; a discriminator the
     * differentiation does not support leaves the model without white-box attacks.
     */
    private LoadedModel.Gradient gradient(Path directory, BundleManifest manifest, ImageShape shape, String source) {
        long[] imageShape = {shape.channels(), shape.height(), shape.width()};
        BundleManifest.Network d = manifest.discriminator();
        BundleManifest.GradientNetwork shipped = manifest.discriminatorGradient();
        String what;
        byte[] graph;
        if (shipped != null && !alwaysDeriveGradient) {
            what = shipped.file();
            try {
                graph = Files.readAllBytes(directory.resolve(shipped.file()));
            } catch (IOException e) {
                throw new BundleRefusedException(source, shipped.file() + ": " + e.getMessage());
            }
        } else {
            what = "derived";
            try {
                OnnxModel forward = OnnxModel.read(directory.resolve(d.file()));
                graph = GradientGraph.derive(forward, d.input(), d.output(), Loss.binaryCrossEntropyWithLogits())
                        .toBytes();
            } catch (IOException | IllegalArgumentException e) { // UnsupportedGraphException is one
                LOG.warnf("%s: the discriminator cannot be differentiated (%s); white-box attacks are off for it",
                        source, e.getMessage());
                return LoadedModel.Gradient.unavailable("differentiating " + d.file() + " failed: " + e.getMessage());
            }
        }
        GradientRunner runner;
        try {
            runner = GradientRunner.open(environment, graph, what.equals("derived") ? "the gradient graph derived from "
                    + d.file() : what, imageShape, intraOpThreads);
        } catch (OrtException | RuntimeException e) {
            throw new BundleRefusedException(source, "ONNX Runtime cannot use the gradient graph: " + e.getMessage());
        }
        MicroBatcher batcher = new MicroBatcher(manifest.name() + "/gradient", runner.inputSize(), runner.outputSize(),
                batching, runner, metrics.batchObserver(manifest.name(), "gradient"));
        return new LoadedModel.Gradient(runner, batcher, what, null);
    }

    /** Runs the networks once, so the first client does not pay for ORT's lazy initialisation. */
    private static void warmUp(LoadedModel model) {
        try {
            float[] z = LatentSampler.sample(model.manifest().latent(), 0, 1);
            float[] image = model.generate(z, 1).get(WARM_UP_SECONDS, TimeUnit.SECONDS);
            float[] logit = model.score(image, 1).get(WARM_UP_SECONDS, TimeUnit.SECONDS);
            if (!Float.isFinite(logit[0])) {
                throw new IllegalStateException("the discriminator answered " + logit[0]);
            }
            if (model.hasGradients()) {
                float gradientLogit = model.attackModel().gradients(image, new float[] {0f}, 1).logits()[0];
                if (!(Math.abs(gradientLogit - logit[0]) <= LOGIT_AGREEMENT * (1 + Math.abs(logit[0])))) {
                    throw new IllegalStateException("the gradient graph (" + model.gradientSource() + ") answered logit "
                            + gradientLogit + " where the discriminator answered " + logit[0]
                            + ": it belongs to another discriminator");
                }
            }
            ComposedWarmUp.check(model, z, image, logit[0], LOGIT_AGREEMENT);
        } catch (java.util.concurrent.CompletionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
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
