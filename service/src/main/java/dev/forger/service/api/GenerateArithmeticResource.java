package dev.forger.service.api;

import dev.forger.service.generation.LatentArithmetic;
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

/**
 * {@code POST /api/v1/generate/arithmetic}: vector arithmetic on concepts (Radford et al. 2015, section
 * 6.3). The grid shows one row per concept (its images, then the image of their mean, labelled + or -)
 * and a last row (labelled =) with the result and its noisy variations.
 */
@RolesAllowed(Roles.READER)
@Path(GenerateArithmeticResource.PATH)
@Tag(name = "generate")
public class GenerateArithmeticResource {
    static final String PATH = "/api/v1/generate/arithmetic";
    static final int MAX_CONCEPTS = 8;
    static final int MAX_POINTS_PER_CONCEPT = 16;
    static final int MAX_VARIATIONS = 16;

    private final ModelRegistry registry;
    private final LatentImages images;
    private final PngWriter png;

    public GenerateArithmeticResource(ModelRegistry registry, LatentImages images, PngWriter png) {
        this.registry = registry;
        this.images = images;
        this.png = png;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({"image/png", "application/x-npy", Problem.MEDIA_TYPE})
    @Operation(summary = "Latent vector arithmetic",
            description = "Adds the mean latents of the plus concepts and subtracts those of the minus concepts;"
                    + " returns a grid (each concept's images and mean, then the result and noisy variations of"
                    + " it), the result alone as PNG, or npy. Each point is a seed, a sample of a seed"
                    + " ({\"seed\": 7, \"index\": 12}) or a latent vector.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ArithmeticRequest.class),
            examples = {@ExampleObject(name = "three concepts of three samples",
                    value = "{\"plus\": [[{\"seed\": 1, \"index\": 0}, {\"seed\": 1, \"index\": 1}, {\"seed\": 1,"
                            + " \"index\": 2}], [4, 5, 6]], \"minus\": [[7, 8, 9]], \"variations\": 7}"),
                    @ExampleObject(name = "the result alone", value = "{\"plus\": [[3], [5]], \"minus\": [[8]],"
                            + " \"format\": \"png\", \"scale\": 4}")}))
    @APIResponse(responseCode = "200", description = "The figure, the result or the latents' images",
            content = {@Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = "application/x-npy", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "400", description = "A field is invalid, or the JSON is malformed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> arithmetic(byte[] body,
                                                @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        ArithmeticRequest request = JsonBodies.read(body, ArithmeticRequest.class);
        if (request == null || request.plus() == null || request.plus().isEmpty()) {
            throw new ClientProblem(ProblemType.MISSING_BODY, "plus", "send at least one concept to add, such as"
                    + " {\"plus\": [[3, 4, 5]], \"minus\": [[6, 7, 8]]}: each concept a list of points, " + LatentPoint.SHAPES);
        }
        LoadedModel model = registry.get(request.model());
        LatentFigureFormat format = LatentFigureFormat.forArithmetic(request.format(), accept);
        int variations = Params.intIn("variations", request.variations() == null ? null
                : request.variations().toString(), 7, 0, MAX_VARIATIONS);
        double noise = request.noise() == null ? 0.25 : request.noise();
        if (!(noise >= 0 && noise <= 2)) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "noise", "noise must be from 0 to 2, got " + noise);
        }
        int scale = Params.intIn("scale", request.scale() == null ? null : request.scale().toString(), 1, 1, 8);
        List<List<float[]>> plus = concepts(model, "plus", request.plus());
        List<List<float[]>> minus = concepts(model, "minus", request.minus() == null ? List.of() : request.minus());
        if (plus.size() + minus.size() > MAX_CONCEPTS) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "minus", "at most " + MAX_CONCEPTS
                    + " concepts in all, got " + (plus.size() + minus.size()));
        }
        LatentArithmetic arithmetic = new LatentArithmetic(plus, minus);
        float[] results = arithmetic.resultAndVariations(variations, noise, request.seed() == null ? 0 : request.seed());
        int dim = model.latentDim();
        // the figure also shows every concept: its points, then its mean
        List<float[]> all = new ArrayList<>();
        if (format == LatentFigureFormat.GRID) {
            for (List<float[]> concept : concat(plus, minus)) {
                all.addAll(concept);
                all.add(LatentArithmetic.mean(concept));
            }
        }
        float[] z = new float[all.size() * dim + results.length];
        for (int i = 0; i < all.size(); i++) {
            System.arraycopy(all.get(i), 0, z, i * dim, dim);
        }
        System.arraycopy(results, 0, z, all.size() * dim, results.length);
        int conceptImages = all.size();
        return images.render(model, z, format.value(), PATH, batch -> {
            Object entity = switch (format) {
                case GRID -> png.encode(RowFigure.draw(rows(batch, plus, minus, conceptImages), labels(plus, minus),
                        2, scale));
                case PNG -> png.encode(RowFigure.scaled(batch, 0, scale));
                case NPY -> NpyWriter.write(batch);
                case GIF -> throw new IllegalStateException("refused above");
            };
            return Response.ok(entity, format.mediaType).header("X-Forger-Model", model.name())
                    .header("Content-Disposition", "inline; filename=\"arithmetic."
                            + (format == LatentFigureFormat.NPY ? "npy" : "png") + "\"").build();
        });
    }

    private static List<List<float[]>> concepts(LoadedModel model, String field, List<List<LatentPoint>> concepts) {
        List<List<float[]>> out = new ArrayList<>();
        for (int c = 0; c < concepts.size(); c++) {
            List<LatentPoint> points = concepts.get(c);
            String where = field + "[" + c + "]";
            if (points == null || points.isEmpty() || points.size() > MAX_POINTS_PER_CONCEPT) {
                throw new ClientProblem(ProblemType.INVALID_PARAMETER, where, where + " must list 1 to "
                        + MAX_POINTS_PER_CONCEPT + " points whose mean stands for the concept, got "
                        + (points == null ? "null" : points.size()));
            }
            List<float[]> latents = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                if (points.get(i) == null) {
                    throw new ClientProblem(ProblemType.INVALID_PARAMETER, where + "[" + i + "]", where + "[" + i
                            + "] is null; " + LatentPoint.SHAPES);
                }
                latents.add(points.get(i).resolve(model, where + "[" + i + "]"));
            }
            out.add(latents);
        }
        return out;
    }

    /** Each concept's row (its images and its mean), then the row of the result and its variations. */
    private static List<ImageBatch> rows(ImageBatch batch, List<List<float[]>> plus, List<List<float[]>> minus,
                                         int conceptImages) {
        List<ImageBatch> rows = new ArrayList<>();
        int at = 0;
        for (List<float[]> concept : concat(plus, minus)) {
            rows.add(slice(batch, at, concept.size() + 1));
            at += concept.size() + 1;
        }
        rows.add(slice(batch, conceptImages, batch.count() - conceptImages));
        return rows;
    }

    private static List<String> labels(List<List<float[]>> plus, List<List<float[]>> minus) {
        List<String> labels = new ArrayList<>();
        plus.forEach(c -> labels.add("+"));
        minus.forEach(c -> labels.add("-"));
        labels.add("=");
        return labels;
    }

    private static ImageBatch slice(ImageBatch batch, int first, int n) {
        float[] data = new float[n * batch.shape().size()];
        System.arraycopy(batch.data(), first * batch.shape().size(), data, 0, data.length);
        return new ImageBatch(batch.shape(), n, data);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
