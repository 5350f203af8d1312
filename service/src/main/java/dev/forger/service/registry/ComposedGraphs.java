package dev.forger.service.registry;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.forger.graph.autodiff.Loss;
import dev.forger.graph.compose.AttackGraphs;
import dev.forger.graph.compose.Net;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.service.attacks.ClassifierNetworks.ClassLoss;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.inference.BatchingSettings;
import dev.forger.service.inference.MicroBatcher;
import dev.forger.service.inference.PackedGraphRunner;
import dev.forger.service.inference.PackedGraphRunner.Slot;
import dev.forger.service.metrics.ForgerMetrics;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The composed graphs of one bundle ({@link AttackGraphs}), built from its networks when it loads and
 * cached for its lifetime, each behind its own {@link MicroBatcher} so that concurrent attacks share runs.
 * Items are packed as {@link PackedGraphRunner} describes:
 * <table>
 *   <caption>graphs, items in and out</caption>
 *   <tr><th>graph</th><th>in</th><th>out</th></tr>
 *   <tr><td>latent forward (z → G → D)</td><td>z</td><td>logit</td></tr>
 *   <tr><td>latent gradient</td><td>z, target</td><td>logit, dBCE/dz</td></tr>
 *   <tr><td>latent classifier forward (with a classifier)</td><td>z</td><td>logits, logit</td></tr>
 *   <tr><td>pixel / latent class gradient, one per {@link ClassLoss}</td><td>point, class, class_weight, realism</td>
 *       <td>logits, logit, grad</td></tr>
 * </table>
 * A graph that cannot be derived (an operator without a gradient rule) leaves the attacks that need it off
 * with the reason, as for the pixel gradient graph; the rest of the bundle serves.
 */
final class ComposedGraphs implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ComposedGraphs.class);

    /** One composed graph's session and batcher. */
    record Graph(PackedGraphRunner runner, MicroBatcher batcher) {
        void close() {
            batcher.close();
            try {
                runner.close();
            } catch (OrtException e) {
                LOG.debugf(e, "closing %s", batcher.name());
            }
        }
    }

    private final List<Graph> all = new ArrayList<>();
    Graph latentForward;
    Graph latentGradient;
    /** Why latent attacks are off; null when they are on. */
    String latentUnavailable;
    Graph latentClassifierForward;
    final Map<ClassLoss, Graph> pixelClass = new EnumMap<>(ClassLoss.class);
    final Map<ClassLoss, Graph> latentClass = new EnumMap<>(ClassLoss.class);
    /** Why class goals are off on a bundle that has a classifier; null when they are on or there is no classifier. */
    String classGoalsUnavailable;

    private final OrtEnvironment environment;
    private final BatchingSettings batching;
    private final int intraOpThreads;
    private final ForgerMetrics metrics;
    private final String model;

    private ComposedGraphs(OrtEnvironment environment, BatchingSettings batching, int intraOpThreads,
                           ForgerMetrics metrics, String model) {
        this.environment = environment;
        this.batching = batching;
        this.intraOpThreads = intraOpThreads;
        this.metrics = metrics;
        this.model = model;
    }

    /**
     * Builds and opens every graph the bundle's networks allow.
     *
     * @param classifier null for a bundle without one
     * @throws OrtException or IllegalArgumentException when ONNX Runtime refuses a graph that was built: the
     *                      bundle is broken (the loader refuses it)
     */
    static ComposedGraphs build(OrtEnvironment environment, BatchingSettings batching, int intraOpThreads,
                                ForgerMetrics metrics, String model, Net generator, Net discriminator, Net classifier,
                                int latentDim, ImageShape shape, int classes) throws OrtException {
        ComposedGraphs graphs = new ComposedGraphs(environment, batching, intraOpThreads, metrics, model);
        try {
            graphs.open(generator, discriminator, classifier, latentDim, shape, classes);
            return graphs;
        } catch (OrtException | RuntimeException e) {
            graphs.close();
            throw e;
        }
    }

    private void open(Net generator, Net discriminator, Net classifier, int latentDim, ImageShape shape, int classes)
            throws OrtException {
        long[] image = {shape.channels(), shape.height(), shape.width()};
        Slot z = Slot.floats(AttackGraphs.Z, latentDim);
        Slot logit = Slot.floats(AttackGraphs.LOGIT, 1);
        OnnxModel latentForwardGraph = derive("the latent graph (z → generator → discriminator)",
                () -> AttackGraphs.latentForward(generator, discriminator));
        OnnxModel derived = latentForwardGraph == null ? null : derive("the latent gradient graph",
                () -> AttackGraphs.latentDiscriminatorGradient(generator, discriminator));
        if (derived == null) {
            latentUnavailable = "the generator and discriminator could not be composed and differentiated: " + lastFailure;
        } else {
            latentForward = graph("latent-forward", latentForwardGraph, List.of(z), List.of(logit));
            latentGradient = graph("latent-gradient", derived, List.of(z, Slot.floats(AttackGraphs.TARGET, 1)),
                    List.of(logit, Slot.floats(AttackGraphs.GRAD, latentDim)));
        }
        if (classifier == null) {
            return;
        }
        Slot logits = Slot.floats(AttackGraphs.LOGITS, classes);
        OnnxModel latentClassifier = derive("the latent classifier graph (z → generator → classifier, discriminator)",
                () -> AttackGraphs.latentClassifierForward(generator, classifier, discriminator));
        if (latentClassifier == null) {
            classGoalsUnavailable = "the classifier could not be composed with the generator: " + lastFailure;
            return;
        }
        latentClassifierForward = graph("latent-classifier", latentClassifier, List.of(z), List.of(logits, logit));
        List<Slot> classInputs = List.of(Slot.int64(AttackGraphs.CLASS), Slot.floats(AttackGraphs.CLASS_WEIGHT, 1),
                Slot.floats(AttackGraphs.REALISM, 1));
        for (ClassLoss loss : ClassLoss.values()) {
            Loss graphLoss = loss == ClassLoss.CROSS_ENTROPY ? Loss.crossEntropy() : Loss.logitMargin();
            OnnxModel pixel = derive("the pixel class gradient graph (classifier beside discriminator, " + graphLoss + ")",
                    () -> AttackGraphs.pixelClassifierGradient(classifier, discriminator, graphLoss));
            OnnxModel latent = pixel == null ? null : derive("the latent class gradient graph (" + graphLoss + ")",
                    () -> AttackGraphs.latentClassifierGradient(generator, classifier, discriminator, graphLoss));
            if (latent == null) {
                classGoalsUnavailable = "the classifier could not be differentiated with the other networks: " + lastFailure;
                return;
            }
            pixelClass.put(loss, graph("classifier-gradient", pixel,
                    concat(Slot.floats(AttackGraphs.IMAGE, image), classInputs),
                    List.of(logits, logit, Slot.floats(AttackGraphs.GRAD, image))));
            latentClass.put(loss, graph("latent-classifier-gradient", latent, concat(z, classInputs),
                    List.of(logits, logit, Slot.floats(AttackGraphs.GRAD, latentDim))));
        }
    }

    private String lastFailure;

    /** The derived graph, or null (with the reason in {@link #lastFailure}) when the nets cannot be differentiated. */
    private OnnxModel derive(String what, java.util.function.Supplier<OnnxModel> derivation) {
        try {
            return derivation.get();
        } catch (IllegalArgumentException e) { // UnsupportedGraphException, CompositionException
            lastFailure = e.getMessage();
            LOG.warnf("%s: %s cannot be built (%s); the attacks that need it are off", model, what, e.getMessage());
            return null;
        }
    }

    private Graph graph(String network, OnnxModel graph, List<Slot> inputs, List<Slot> outputs) throws OrtException {
        PackedGraphRunner runner = PackedGraphRunner.open(environment, graph.toBytes(), "the " + network + " graph of "
                + model, inputs, outputs, intraOpThreads);
        MicroBatcher batcher = new MicroBatcher(model + "/" + network, runner.inputSize(), runner.outputSize(),
                batching, runner, metrics.batchObserver(model, network));
        Graph g = new Graph(runner, batcher);
        all.add(g);
        return g;
    }

    private static List<Slot> concat(Slot first, List<Slot> rest) {
        List<Slot> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    @Override
    public void close() {
        all.forEach(Graph::close);
    }
}
