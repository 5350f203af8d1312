package dev.forger.service.api;

import dev.forger.service.imaging.GridComposer;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.PngWriter;
import dev.forger.service.imaging.Rasters;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Renders generated images held whole (png, grid, json); npy, zip and tar are streamed instead. Runs on
 * the encoding pool.
 *
 * @param seed   null when the client gave explicit latents
 * @param offset the sample index of the first image in the seed's sequence
 */
record GeneratedImages(String model, Long seed, long offset, float[] latents, int latentDim, ImageBatch images) {
    static final int GRID_GAP = 2;

    Response render(GenerateFormat format, String name, PngWriter png) {
        Object body = switch (format) {
            case PNG -> png.encode(Rasters.toImage(images, 0));
            case GRID -> png.encode(Rasters.toImage(GridComposer.compose(images, GRID_GAP), 0));
            case JSON -> json(png);
            case NPY, ZIP, TAR -> throw new IllegalStateException(format + " is streamed, not rendered whole");
        };
        Response.ResponseBuilder response = Response.ok(body, format.mediaType).header("X-Forger-Model", model);
        if (seed != null) {
            response.header("X-Forger-Seed", seed);
        }
        if (offset != 0) {
            response.header("X-Forger-Offset", offset);
        }
        if (format != GenerateFormat.JSON) {
            response.header("Content-Disposition", "inline; filename=\"" + name
                    + (offset == 0 ? "" : "-" + offset) + (format == GenerateFormat.GRID ? "-grid" : "") + ".png\"");
        }
        return response.build();
    }

    private GenerateResponse json(PngWriter png) {
        List<GenerateResponse.Image> list = new ArrayList<>(images.count());
        Base64.Encoder base64 = Base64.getEncoder();
        for (int i = 0; i < images.count(); i++) {
            float[] z = Arrays.copyOfRange(latents, i * latentDim, (i + 1) * latentDim);
            byte[] encoded = png.encode(Rasters.toImage(images, i));
            list.add(new GenerateResponse.Image(offset + i, base64.encodeToString(encoded), z));
        }
        return new GenerateResponse(model, seed, list);
    }
}
