package dev.forger.service.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON body of {@code POST /generate/arithmetic}. */
@Schema(name = "ArithmeticRequest")
public record ArithmeticRequest(
        @Schema(description = "Model name; the default model when absent", example = "mnist-dcgan") String model,
        @Schema(description = "Concepts to add: each a list of points whose mean latent stands for the concept"
                + " (the paper averages three)", required = true) List<List<LatentPoint>> plus,
        @Schema(description = "Concepts to subtract, in the same form") List<List<LatentPoint>> minus,
        @Schema(description = "Noisy copies of the result to show beside it (0 to 16)", minimum = "0", maximum = "16",
                defaultValue = "7") Integer variations,
        @Schema(description = "Scale of the uniform noise of each variation (the paper: 0.25)", minimum = "0",
                maximum = "2", defaultValue = "0.25") Double noise,
        @Schema(description = "Seed of the variations' noise", defaultValue = "0") Long seed,
        @Schema(description = "grid (each concept's images and mean, then the result and its variations; the"
                + " default), png (the result alone) or npy (float32 [1 + variations, C, H, W]: the result, then"
                + " the variations); without it the Accept header decides", enumeration = {"grid", "png", "npy"})
        String format,
        @Schema(description = "Pixels per model pixel in grid and png (1 to 8)", minimum = "1", maximum = "8",
                defaultValue = "1") Integer scale) {}
