package dev.forger.service.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON body of {@code POST /generate/walk}. */
@Schema(name = "WalkRequest")
public record WalkRequest(
        @Schema(description = "Model name; the default model when absent", example = "mnist-dcgan") String model,
        @Schema(description = "Two or more points to walk through, in order; each pair is one segment (one row of"
                + " the grid)", required = true) List<LatentPoint> points,
        @Schema(description = "Images per segment, both ends included (2 to forger.generation.max-walk-steps)",
                minimum = "2", defaultValue = "8", example = "8") Integer steps,
        @Schema(description = "linear, or spherical (keeps the latent's norm; the default)", defaultValue = "spherical",
                enumeration = {"linear", "spherical"}) String interpolation,
        @Schema(description = "grid (a PNG, one row per segment; the default), gif (an animation through every"
                + " point) or npy (float32 [segments*steps, C, H, W]); without it the Accept header decides",
                enumeration = {"grid", "gif", "npy"}) String format,
        @Schema(description = "Pixels per model pixel in grid and gif (1 to 8)", minimum = "1", maximum = "8",
                defaultValue = "1") Integer scale,
        @Schema(description = "Milliseconds per GIF frame (20 to 5000)", minimum = "20", maximum = "5000",
                defaultValue = "100") Integer frameMillis) {}
