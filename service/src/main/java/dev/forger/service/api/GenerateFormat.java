package dev.forger.service.api;


/** What {@code /generate} returns. */
public enum GenerateFormat {
    /** One PNG; only for count 1. */
    PNG("image/png", "png"),
    /** All images as one PNG mosaic. */
    GRID("image/png", "png"),
    /** A zip of one PNG per image. */
    ZIP("application/zip", "zip"),
    /** float32 [N, C, H, W] in [-1, 1]. */
    NPY("application/x-npy", "npy"),
    /** Base64 PNGs with their latent vectors. */
    JSON("application/json", "json");

    final String mediaType;
    final String extension;

    GenerateFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    /** The format asked for; by default a PNG for one image and a grid for several. */
    static GenerateFormat parse(String value, int count) {
        if (value == null || value.isBlank()) {
            return count == 1 ? PNG : GRID;
        }
        return Params.oneOf("format", value, GenerateFormat.class);
    }
}
