package dev.forger.service.api;

import dev.forger.service.config.ForgerConfig;
import dev.forger.service.imaging.EncodingPool;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.PngWriter;
import dev.forger.service.inference.LatentSampler;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.ModelRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET,POST /api/v1/generate}. Runs on a worker thread (latents are drawn and checked there),
 * hands the latents to the generator's batcher and renders the images on the encoding pool; the
 * worker is free as soon as the request is queued.
 */
@Path("/api/v1/generate")
@Tag(name = "generate", description = "Images from a generator")
public class GenerateResource {
    /** Seeds handed out when the client gives none stay below 2^53, exact in JavaScript clients. */
    private static final long RANDOM_SEED_BOUND = 1L << 53;

    private final ModelRegistry registry;
    private final ForgerConfig config;
    private final ForgerMetrics metrics;
    private final EncodingPool encoding;
    private final PngWriter png;

    public GenerateResource(ModelRegistry registry, ForgerConfig config, ForgerMetrics metrics,
                            EncodingPool encoding, PngWriter png) {
        this.registry = registry;
        this.config = config;
        this.metrics = metrics;
        this.encoding = encoding;
        this.png = png;
    }

    @GET
    @Blocking
    @Produces({"image/png", "application/zip", "application/x-npy", MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Generate images",
            description = "Draws count latent vectors from the model's latent distribution (seeded: the same seed"
                    + " gives the same images, bit for bit) and returns the generator's images. Try"
                    + " `curl -o grid.png '/api/v1/generate?count=64&format=grid'`.")
    @APIResponse(responseCode = "200", description = "The images, in the format asked for",
            content = {@Content(mediaType = "image/png", schema = @Schema(type = org.eclipse.microprofile.openapi
                    .annotations.enums.SchemaType.STRING, format = "binary")),
                    @Content(mediaType = "application/zip"), @Content(mediaType = "application/x-npy"),
                    @Content(mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = GenerateResponse.class))})
    @APIResponse(responseCode = "400", description = "count, seed or format is invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Queue full; retry after the Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> get(
            @Parameter(description = "How many images", example = "64") @QueryParam("count") String count,
            @Parameter(description = "Seed of the latents; random (and returned in X-Forger-Seed) when absent",
                    example = "7") @QueryParam("seed") String seed,
            @Parameter(description = "Model name; the default when absent", example = "mnist-dcgan")
            @QueryParam("model") String model,
            @Parameter(description = "png (count 1, the default for 1), grid (the default for more), zip, npy, json",
                    example = "grid") @QueryParam("format") String format) {
        LoadedModel loaded = registry.get(model);
        int n = Params.intIn("count", count, 1, 1, config.limits().maxCount());
        return generate(loaded, n, Params.optionalLong("seed", seed), null, format);
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({"image/png", "application/zip", "application/x-npy", MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Generate images (JSON request)",
            description = "As GET, with the parameters in a JSON body; `latents` gives the latent vectors"
                    + " explicitly instead of count and seed.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = GenerateRequest.class),
            examples = {@ExampleObject(name = "seeded", value = "{\"count\": 2, \"seed\": 7, \"format\": \"json\"}"),
                    @ExampleObject(name = "explicit latents",
                            value = "{\"model\": \"mnist-dcgan\", \"format\": \"png\", \"latents\": [[0.1, -0.3, 0.7]]}",
                            description = "Each vector must have the model's latent dimension (100 for mnist-dcgan)")}))
    @APIResponse(responseCode = "200", description = "The images, in the format asked for",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GenerateResponse.class)))
    @APIResponse(responseCode = "400", description = "A field is invalid, or the JSON is malformed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> post(byte[] body) {
        GenerateRequest request = JsonBodies.read(body, GenerateRequest.class);
        if (request == null) {
            throw new ClientProblem(ProblemType.MISSING_BODY, null, "send a JSON object such as"
                    + " {\"count\": 4, \"seed\": 7, \"format\": \"json\"}");
        }
        LoadedModel loaded = registry.get(request.model());
        if (request.latents() != null) {
            if (request.count() != null && request.count() != request.latents().size()) {
                throw new ClientProblem(ProblemType.INVALID_PARAMETER, "count", "count is " + request.count()
                        + " but " + request.latents().size() + " latents were given; leave count out with latents");
            }
            return generate(loaded, request.latents().size(), null, explicitLatents(loaded, request.latents()),
                    request.format());
        }
        int n = request.count() == null ? 1 : request.count();
        Params.intIn("count", Integer.toString(n), 1, 1, config.limits().maxCount());
        return generate(loaded, n, request.seed(), null, request.format());
    }

    private float[] explicitLatents(LoadedModel model, List<float[]> latents) {
        int max = config.limits().maxCount();
        if (latents.isEmpty() || latents.size() > max) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "latents", "latents must hold 1 to " + max
                    + " vectors, got " + latents.size());
        }
        int dim = model.latentDim();
        float[] z = new float[latents.size() * dim];
        for (int i = 0; i < latents.size(); i++) {
            float[] v = latents.get(i);
            if (v == null || v.length != dim) {
                throw new ClientProblem(ProblemType.INVALID_PARAMETER, "latents[" + i + "]", "latents[" + i
                        + "] has " + (v == null ? "no" : v.length) + " values; model '" + model.name()
                        + "' takes vectors of " + dim);
            }
            for (int j = 0; j < dim; j++) {
                if (!Float.isFinite(v[j])) {
                    throw new ClientProblem(ProblemType.NON_FINITE_VALUE, "latents[" + i + "]", "latents[" + i
                            + "][" + j + "] is " + v[j] + "; latent values must be finite");
                }
            }
            System.arraycopy(v, 0, z, i * dim, dim);
        }
        return z;
    }

    private CompletionStage<Response> generate(LoadedModel model, int count, Long seed, float[] explicit,
                                               String formatName) {
        GenerateFormat format = GenerateFormat.parse(formatName, count);
        if (format == GenerateFormat.PNG && count != 1) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "format", "format=png returns one image but "
                    + count + " were asked for; use count=1, or format=grid, zip, npy or json");
        }
        Long usedSeed = explicit != null ? null
                : seed != null ? seed : ThreadLocalRandom.current().nextLong(RANDOM_SEED_BOUND);
        float[] z = explicit != null ? explicit : LatentSampler.sample(model.manifest().latent(), usedSeed, count);
        return model.generate(z, count).thenApplyAsync(images -> {
            metrics.imagesGenerated(model.name(), count);
            GeneratedImages generated = new GeneratedImages(model.name(), usedSeed, z, model.latentDim(),
                    new ImageBatch(model.imageShape(), count, images));
            return generated.render(format, png);
        }, encoding);
    }
}
