package dev.forger.service.api;

import java.util.List;
import java.util.Locale;

/** What {@code /generate} returns: chosen by {@code format}, else by the Accept header ({@link Negotiation}). */
public enum GenerateFormat implements Negotiation.Representation {
    /** One PNG; only for count 1. */
    PNG("image/png", "png", false),
    /** All images as one PNG mosaic. */
    GRID("image/png", "png", false),
    /** float32 [N, C, H, W] in [-1, 1], streamed; the header states the full shape. */
    NPY("application/x-npy", "npy", true),
    /** One PNG per image in a zip, streamed. */
    ZIP("application/zip", "zip", true),
    /** One PNG per image in a tar, streamed (the layout of WebDataset shards). */
    TAR("application/x-tar", "tar", true),
    /** Base64 PNGs with their latent vectors. */
    JSON("application/json", "json", false);

    /** The values of the format parameter, for OpenAPI. */
    static final String VALUES_DOC = "png (count 1; the default for 1), grid (the default for more), npy, zip, tar"
            + " (these three stream any count), json; without it the Accept header decides";

    final String mediaType;
    final String extension;
    /** Written batch by batch as the images are generated, for any count; the others are held whole. */
    final boolean streamed;

    GenerateFormat(String mediaType, String extension, boolean streamed) {
        this.mediaType = mediaType;
        this.extension = extension;
        this.streamed = streamed;
    }

    /** As the format parameter spells it, e.g. grid; also the format label of the metrics. */
    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String mediaType() {
        return mediaType;
    }

    /** The format parameter first, else Accept; by default a PNG for one image and a grid for several. */
    static GenerateFormat choose(String format, String accept, long count) {
        GenerateFormat image = count == 1 ? PNG : GRID;
        return Negotiation.choose(format, accept, GenerateFormat.class, List.of(image, NPY, ZIP, TAR, JSON), "/generate");
    }
}
