package dev.forger.trainer.export;

import dev.forger.graph.autodiff.GradientGraph;
import dev.forger.graph.autodiff.Loss;
import dev.forger.graph.onnx.ModelBuilder;
import dev.forger.graph.onnx.OnnxModel;
import dev.forger.trainer.nets.DcganConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The DCGAN's two nets as the bundle's ONNX models, with the names the manifest and the service use:
 * <ul>
 *   <li>generator: {@value #LATENT} float [N, zDim] → {@value #IMAGE} float [N, C, H, W] in [-1, 1];</li>
 *   <li>discriminator: {@value #IMAGE} float [N, C, H, W] → {@value #LOGIT} float [N, 1];</li>
 *   <li>classifier (optional): {@value #IMAGE} float [N, C, H, W] → {@value #CLASS_LOGITS} float [N, classes];</li>
 *   <li>discriminator gradient: {@value #IMAGE} [N, C, H, W] and {@value #TARGET} [N, 1] (per sample,
 *       1 = real, 0 = fake) → {@value #LOGIT} [N, 1] and {@value #GRAD} [N, C, H, W], the gradient of
 *       binary cross-entropy with logits towards the target. Descending {@value #GRAD} moves an image
 *       towards its target verdict; row i is sample i's own gradient.</li>
 * </ul>
 * N is dynamic. Each model carries custom metadata: {@code name}, {@code version},
 * {@code producer} = {@value MultiLayerOnnxExporter#PRODUCER}, {@code forger.network}, and whatever
 * the caller adds.
 */
public final class DcganOnnxExporter {
    public static final String LATENT = "z";
    public static final String IMAGE = "image";
    public static final String LOGIT = GradientGraph.LOGIT;
    public static final String TARGET = Loss.TARGET;
    public static final String GRAD = GradientGraph.GRAD;
    /** The classifier's output: one logit per class, [N, classes]. */
    public static final String CLASS_LOGITS = "logits";
    /** Metadata key telling which of the bundle's networks a model is. */
    public static final String NETWORK_KEY = "forger.network";

    private DcganOnnxExporter() {}

    /** @param metadata custom metadata, e.g. {@code name} and {@code version} of the bundle */
    public static OnnxModel generator(MultiLayerNetwork g, DcganConfig config, Map<String, String> metadata) {
        var signature = new MultiLayerOnnxExporter.Signature("generator", LATENT, new long[] {config.zDim()}, IMAGE);
        return MultiLayerOnnxExporter.export(g, signature, with(metadata, "generator"));
    }

    public static OnnxModel discriminator(MultiLayerNetwork d, DcganConfig config, Map<String, String> metadata) {
        long size = config.imageSize();
        var signature = new MultiLayerOnnxExporter.Signature("discriminator", IMAGE,
                new long[] {config.channels(), size, size}, LOGIT);
        return MultiLayerOnnxExporter.export(d, signature, with(metadata, "discriminator"));
    }

    /**
     * A digit classifier (the quality metric's CNN) as {@value #IMAGE} float [N, C, H, W] in [-1, 1] →
     * {@value #CLASS_LOGITS} float [N, classes]: its output layer without the softmax, so the service can take
     * probabilities and gradients of a numerically stable loss itself.
     */
    public static OnnxModel classifier(MultiLayerNetwork classifier, int channels, int imageSize,
                                       Map<String, String> metadata) {
        var signature = new MultiLayerOnnxExporter.Signature("classifier", IMAGE,
                new long[] {channels, imageSize, imageSize}, CLASS_LOGITS, true);
        return MultiLayerOnnxExporter.export(classifier, signature, with(metadata, "classifier"));
    }

    /**
     * The gradient graph of an exported discriminator, derived by the graph module's reverse-mode
     * differentiation with a per-sample BCE target, so one graph pushes towards "real" or "fake".
     */
    public static OnnxModel discriminatorGradient(OnnxModel discriminator) {
        OnnxModel derived = GradientGraph.derive(discriminator, IMAGE, LOGIT, Loss.binaryCrossEntropyWithLogits());
        return ModelBuilder.copyOf(derived).producer(MultiLayerOnnxExporter.PRODUCER)
                .metadata(NETWORK_KEY, "discriminator-gradient")
                .docString("Inputs: " + IMAGE + " [N,C,H,W], " + TARGET + " [N,1] (1 = real, 0 = fake). Outputs: "
                        + LOGIT + " [N,1] (the discriminator's logit) and " + GRAD
                        + " [N,C,H,W] = d BCEWithLogits(logit, target) / d image, per sample.")
                .build();
    }

    private static Map<String, String> with(Map<String, String> metadata, String network) {
        Map<String, String> all = new LinkedHashMap<>(metadata);
        all.put(NETWORK_KEY, network);
        return all;
    }
}
