package dev.forger.service.api;

import dev.forger.service.generation.GenerationConfig;
import dev.forger.service.generation.Interpolation;
import dev.forger.service.generation.LatentWalk;
import dev.forger.service.imaging.GifAnimator;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.NpyWriter;
import dev.forger.service.imaging.PngWriter;
import dev.forger.service.imaging.RowFigure;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.ModelRegistry;
import dev.forger.service.security.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /api/v1/generate/walk}: a walk through latent space (Radford et al. 2015, section 6.1). */
@RolesAllowed(Roles.READER)
@Path(GenerateWalkResource.PATH)
@Tag(name = "generate")
public class GenerateWalkResource {
    static final String PATH = "/api/v1/generate/walk";

    private final ModelRegistry registry;
    private final GenerationConfig config;
    private final LatentImages images;
    private final PngWriter png;

    public GenerateWalkResource(ModelRegistry registry, GenerationConfig config, LatentImages images, PngWriter png) {
        this.registry = registry;
        this.config = config;
        this.images = images;
        this.png = png;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({"image/png", "image/gif", "application/x-npy", Problem.MEDIA_TYPE})
    @Operation(summary = "Walk through latent space",
            description = "Interpolates between two or more points (seeds, samples of a seed, or latent vectors) and"
                    + " returns the generator's images: a grid with one row per segment, a looping GIF, or npy."
                    + " Smooth transitions show that the generator has not memorised its training images.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WalkRequest.class),
            examples = {@ExampleObject(name = "three seeds", value = "{\"points\": [3, 8, 21], \"steps\": 8}"),
                    @ExampleObject(name = "a gif", value = "{\"points\": [3, {\"seed\": 7, \"index\": 12}, 3],"
                            + " \"steps\": 16, \"format\": \"gif\", \"scale\": 4}"),
                    @ExampleObject(name = "straight lines", value = "{\"points\": [1, 2], \"steps\": 10,"
                            + " \"interpolation\": \"linear\"}")}))
    @APIResponse(responseCode = "200", description = "The walk",
            content = {@Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = "image/gif", schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = "application/x-npy", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "400", description = "A field is invalid, or the JSON is malformed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> walk(byte[] body, @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        WalkRequest request = JsonBodies.read(body, WalkRequest.class);
        if (request == null || request.points() == null) {
            throw new ClientProblem(ProblemType.MISSING_BODY, "points", "send a JSON object such as"
                    + " {\"points\": [3, 8, 21], \"steps\": 8}: " + LatentPoint.SHAPES);
        }
        LoadedModel model = registry.get(request.model());
        LatentFigureFormat format = LatentFigureFormat.forWalk(request.format(), accept);
        int max = config.maxWalkPoints();
        if (request.points().size() < 2 || request.points().size() > max) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "points", "a walk goes through 2 to " + max
                    + " points (forger.generation.max-walk-points), got " + request.points().size());
        }
        int steps = Params.intIn("steps", request.steps() == null ? null : request.steps().toString(), 8, 2,
                config.maxWalkSteps());
        Interpolation interpolation = request.interpolation() == null ? Interpolation.SPHERICAL
                : Params.oneOf("interpolation", request.interpolation(), Interpolation.class);
        int scale = Params.intIn("scale", request.scale() == null ? null : request.scale().toString(), 1, 1, 8);
        int frameMillis = Params.intIn("frameMillis", request.frameMillis() == null ? null
                : request.frameMillis().toString(), 100, 20, 5000);
        List<float[]> points = new ArrayList<>();
        for (int i = 0; i < request.points().size(); i++) {
            if (request.points().get(i) == null) {
                throw new ClientProblem(ProblemType.INVALID_PARAMETER, "points[" + i + "]", "points[" + i
                        + "] is null; " + LatentPoint.SHAPES);
            }
            points.add(request.points().get(i).resolve(model, "points[" + i + "]"));
        }
        LatentWalk walk = new LatentWalk(points, steps, interpolation);
        return images.render(model, walk.vectors(), format.value(), PATH, batch -> {
            Object entity = switch (format) {
                case GRID -> png.encode(RowFigure.draw(rows(batch, walk), null, 2, scale));
                case GIF -> GifAnimator.animate(frames(batch, walk.steps(), scale), frameMillis);
                case NPY -> NpyWriter.write(batch);
                case PNG -> throw new IllegalStateException("refused above");
            };
            return Response.ok(entity, format.mediaType).header("X-Forger-Model", model.name())
                    .header("X-Forger-Segments", walk.segments()).header("X-Forger-Steps", steps)
                    .header("Content-Disposition", "inline; filename=\"walk." + (format == LatentFigureFormat.GRID
                            ? "png" : format.value()) + "\"").build();
        });
    }

    /** One row per segment. */
    private static List<ImageBatch> rows(ImageBatch batch, LatentWalk walk) {
        List<ImageBatch> rows = new ArrayList<>();
        int size = batch.shape().size();
        for (int s = 0; s < walk.segments(); s++) {
            float[] row = new float[walk.steps() * size];
            System.arraycopy(batch.data(), s * walk.steps() * size, row, 0, row.length);
            rows.add(new ImageBatch(batch.shape(), walk.steps(), row));
        }
        return rows;
    }

    /** Every image once: a segment's first image is the previous segment's last, so it is skipped after the first. */
    private static List<BufferedImage> frames(ImageBatch batch, int steps, int scale) {
        List<BufferedImage> frames = new ArrayList<>();
        for (int i = 0; i < batch.count(); i++) {
            if (i >= steps && i % steps == 0) {
                continue;
            }
            frames.add(RowFigure.scaled(batch, i, scale));
        }
        return frames;
    }
}
