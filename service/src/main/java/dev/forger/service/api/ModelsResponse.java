package dev.forger.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.forger.graph.manifest.BundleManifest;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code GET /models}: what is served, and which bundles were refused and why. */
@Schema(name = "ModelsResponse")
public record ModelsResponse(
        @Schema(description = "The model used when a request names none", example = "mnist-dcgan")
        String defaultModel,
        List<Model> models,
        @Schema(description = "Bundles found but not served, with the reason")
        List<Refused> refused) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ModelSummary")
    public record Model(
            @Schema(example = "mnist-dcgan") String name,
            @Schema(example = "2026-11-26.1") String version,
            @Schema(example = "DCGAN trained on 8,000 MNIST digits, 32x32 grey") String description,
            BundleManifest.Image image,
            BundleManifest.Latent latent,
            BundleManifest.Training training,
            Map<String, Object> metrics,
            @Schema(description = "Whether the bundle ships a pre-computed gradient graph for white-box attacks")
            boolean gradientGraph,
            @Schema(description = "Where white-box attacks get their gradients: the bundle's graph file,"
                    + " \"derived\" (differentiated from the discriminator at load), or \"none\" (forward-only"
                    + " attacks only)", example = "discriminator-grad.onnx")
            String gradients,
            @Schema(description = "The bundle's ONNX files with their role and the sha256 the manifest records")
            List<File> files,
            @Schema(description = "The bundle's optional digit classifier (absent when it has none)")
            Classifier classifier,
            @Schema(description = "Which attacks the bundle's networks allow beyond the pixel attacks on the"
                    + " discriminator") Threats threats) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ModelClassifier")
    public record Classifier(
            @Schema(description = "Class names in the order of the classifier's outputs", example = "[\"0\", \"1\"]")
            List<String> classes,
            @Schema(description = "Accuracy on images held out of its training, as the manifest records it",
                    example = "0.985") Double heldOutAccuracy) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ModelThreats")
    public record Threats(
            @Schema(description = "Attacks in latent space (space=latent): the cached z → G → D graphs were built")
            boolean latent,
            @Schema(description = "Class goals (goal=class:k, class-change, with realism), in pixel and latent space")
            boolean classGoals,
            @Schema(description = "Why latent attacks are off, when they are") String latentUnavailable,
            @Schema(description = "Why class goals are off, when they are") String classGoalsUnavailable) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "BundleFile")
    public record File(
            @Schema(description = "generator, discriminator, discriminatorGradient or classifier", example = "generator")
            String role,
            @Schema(example = "generator.onnx") String file,
            @Schema(description = "As recorded in the manifest; absent when it records none") String sha256) {}

    @Schema(name = "RefusedBundle")
    public record Refused(
            @Schema(example = "/models/broken") String source,
            @Schema(example = "generator.onnx: sha256 is 3a… but manifest says 9f…") String reason) {}
}
