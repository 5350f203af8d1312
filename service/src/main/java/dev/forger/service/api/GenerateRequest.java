package dev.forger.service.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON body of {@code POST /generate}: either count (+ seed) or explicit latents. */
@Schema(name = "GenerateRequest", example = "{\"model\": \"mnist-dcgan\", \"count\": 2, \"seed\": 7, \"format\": \"json\"}")
public record GenerateRequest(
        @Schema(description = "Model name; the default model when absent", example = "mnist-dcgan") String model,
        @Schema(description = "How many images (1 to forger.limits.max-count); ignored with latents", example = "2")
        Integer count,
        @Schema(description = "Seed for the latents: the same seed gives the same images", example = "7") Long seed,
        @Schema(description = "png (count 1), grid, zip, npy or json", example = "json") String format,
        @Schema(description = "Explicit latent vectors, each of the model's latent dimension")
        List<float[]> latents) {}
