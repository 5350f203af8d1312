package dev.forger.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code format=json} of /generate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "GenerateResponse")
public record GenerateResponse(
        @Schema(example = "mnist-dcgan") String model,
        @Schema(description = "The seed the latents were drawn with; absent for explicit latents", example = "7")
        Long seed,
        List<Image> images) {

    @Schema(name = "GeneratedImage")
    public record Image(
            @Schema(description = "The sample index in the seed's sequence (offset + position)", example = "0")
            long index,
            @Schema(description = "The image as base64 PNG", example = "iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAAAAABW...")
            String png,
            @Schema(description = "The latent vector z it was generated from") float[] latent) {}
}
