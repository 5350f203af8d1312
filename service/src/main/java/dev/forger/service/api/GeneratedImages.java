package dev.forger.service.api;

import dev.forger.service.imaging.GridComposer;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.NpyWriter;
import dev.forger.service.imaging.PngWriter;
import dev.forger.service.imaging.Rasters;
import dev.forger.service.imaging.ZipPacker;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Renders generated images in the format asked for. Runs on the encoding pool.
 *
 * @param seed null when the client gave explicit latents
 */
record GeneratedImages(String model, Long seed, float[] latents, int latentDim, ImageBatch images) {
    static final int GRID_GAP = 2;

    Response render(GenerateFormat format, PngWriter png) {
        String name = model + (seed == null ? "" : "-" + seed);
        Object body = switch (format) {
            case PNG -> png.encode(Rasters.toImage(images, 0));
            case GRID -> png.encode(Rasters.toImage(GridComposer.compose(images, GRID_GAP), 0));
            case ZIP -> ZipPacker.pack(name, pngs(png));
            case NPY -> NpyWriter.write(images);
            case JSON -> json(png);
        };
        Response.ResponseBuilder response = Response.ok(body, format.mediaType).header("X-Forger-Model", model);
        if (seed != null) {
            response.header("X-Forger-Seed", seed);
        }
        if (format != GenerateFormat.JSON) {
            String disposition = format == GenerateFormat.ZIP || format == GenerateFormat.NPY ? "attachment" : "inline";
            response.header("Content-Disposition", disposition + "; filename=\"" + name
                    + (format == GenerateFormat.GRID ? "-grid" : "") + "." + format.extension + "\"");
        }
        return response.build();
    }

    private List<byte[]> pngs(PngWriter png) {
        List<byte[]> out = new ArrayList<>(images.count());
        for (int i = 0; i < images.count(); i++) {
            out.add(png.encode(Rasters.toImage(images, i)));
        }
        return out;
    }

    private GenerateResponse json(PngWriter png) {
        List<GenerateResponse.Image> list = new ArrayList<>(images.count());
        Base64.Encoder base64 = Base64.getEncoder();
        List<byte[]> encoded = pngs(png);
        for (int i = 0; i < images.count(); i++) {
            float[] z = Arrays.copyOfRange(latents, i * latentDim, (i + 1) * latentDim);
            list.add(new GenerateResponse.Image(i, base64.encodeToString(encoded.get(i)), z));
        }
        return new GenerateResponse(model, seed, list);
    }
}
