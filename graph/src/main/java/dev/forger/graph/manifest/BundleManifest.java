package dev.forger.graph.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a model bundle, field for field as in DESIGN.md "Model bundle".
 *
 * <p>Numbers are boxed so that a field absent from the JSON stays {@code null} and
 * {@link ManifestValidator} can say "missing" instead of "must be positive, was 0". The records
 * do no validation themselves: a manifest is read as it is, then validated, so that every problem
 * can be reported at once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleManifest(
        String name,
        String version,
        String description,
        Image image,
        Latent latent,
        Network generator,
        Network discriminator,
        GradientNetwork discriminatorGradient,
        Classifier classifier,
        Training training,
        Map<String, Object> metrics) {

    /** A bundle without a classifier, as every bundle was before the optional member existed. */
    public BundleManifest(String name, String version, String description, Image image, Latent latent,
                          Network generator, Network discriminator, GradientNetwork discriminatorGradient,
                          Training training, Map<String, Object> metrics) {
        this(name, version, description, image, latent, generator, discriminator, discriminatorGradient, null,
                training, metrics);
    }

    /** The same manifest with {@code classifier} as its classifier member (null removes it). */
    public BundleManifest withClassifier(Classifier classifier) {
        return new BundleManifest(name, version, description, image, latent, generator, discriminator,
                discriminatorGradient, classifier, training, metrics);
    }

    /** Image shape, NCHW without the batch dimension. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(Integer channels, Integer height, Integer width) {}

    /**
     * The latent vector z: {@code dim} floats drawn from {@code uniform} ({@code low}, {@code high})
     * or {@code normal} ({@code mean}, {@code std}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Latent(Integer dim, String distribution, Double low, Double high, Double mean, Double std) {
        public static final String UNIFORM = "uniform";
        public static final String NORMAL = "normal";

        public static Latent uniform(int dim, double low, double high) {
            return new Latent(dim, UNIFORM, low, high, null, null);
        }

        public static Latent normal(int dim, double mean, double std) {
            return new Latent(dim, NORMAL, null, null, mean, std);
        }
    }

    /**
     * One ONNX file of the bundle. {@code input}/{@code output} may be null (the model's first
     * input/output is then used); {@code sha256} may be null (then it is not checked).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Network(String file, String input, String output, String sha256) {}

    /** The optional pre-computed gradient graph of the discriminator. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GradientNetwork(String file, String sha256) {}

    /**
     * The optional image classifier of the bundle: {@code input} takes images shaped as {@link Image} in
     * [-1, 1] (NCHW, batched), {@code output} gives one logit per class, [N, classes.size()]. {@code classes}
     * names the classes in output order; {@code heldOutAccuracy} (in [0, 1]) is its accuracy on images held
     * out of its training. Only {@code file} is required.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Classifier(String file, String input, String output, String sha256, List<String> classes,
                             Double heldOutAccuracy) {}

    /** How the bundle was trained; {@code hyperparameters} is free-form. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Training(String dataset, Integer epochs, String command, Map<String, Object> hyperparameters) {}
}
