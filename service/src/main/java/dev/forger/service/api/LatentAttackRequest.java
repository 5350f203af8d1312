package dev.forger.service.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON body of {@code POST /attack} for generated digits: the latents to start from, explicit or as
 * {@code /generate} draws them (count + seed, offset). The attack's parameters stay in the query.
 */
@Schema(name = "LatentAttackRequest", example = "{\"count\": 8, \"seed\": 7}")
public record LatentAttackRequest(
        @Schema(description = "How many samples of the seed's sequence (with seed); ignored with latents",
                minimum = "1", example = "8") Long count,
        @Schema(description = "Seed of the latents, as in /generate: the same seed gives the same digits",
                example = "7") Long seed,
        @Schema(description = "Index of the first sample in the seed's sequence", minimum = "0", example = "0")
        Long offset,
        @Schema(description = "Explicit latent vectors, each of the model's latent dimension, inside the latent"
                + " distribution's support for uniform latents") List<float[]> latents) {}
