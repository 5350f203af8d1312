package dev.forger.service.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON body of {@code POST /generate}: either count (+ seed, offset) or explicit latents. */
@Schema(name = "GenerateRequest", example = "{\"model\": \"mnist-dcgan\", \"count\": 2, \"seed\": 7, \"format\": \"json\"}")
public record GenerateRequest(
        @Schema(description = "Model name; the default model when absent", example = "mnist-dcgan") String model,
        @Schema(description = "How many images: up to forger.limits.max-count (256) for png, grid and json, up to"
                + " forger.generation.max-stream-count for the streamed npy and tar (max-zip-count for zip);"
                + " ignored with latents", minimum = "1", example = "2")
        Long count,
        @Schema(description = "Seed for the latents: the same seed gives the same images", example = "7") Long seed,
        @Schema(description = "Index of the first sample in the seed's sequence: offset k and count n give samples"
                + " k..k+n-1 of the whole sequence, bit for bit", minimum = "0", example = "0") Long offset,
        @Schema(description = GenerateFormat.VALUES_DOC, example = "json",
                enumeration = {"png", "grid", "npy", "zip", "tar", "json"}) String format,
        @Schema(description = "Explicit latent vectors, each of the model's latent dimension (100 for mnist-dcgan)")
        List<float[]> latents) {}
