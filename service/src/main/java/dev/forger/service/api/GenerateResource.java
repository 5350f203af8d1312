package dev.forger.service.api;

import dev.forger.service.config.ForgerConfig;
import dev.forger.service.generation.GenerationConfig;
import dev.forger.service.generation.GenerationStream;
import dev.forger.service.generation.LatentSource;
import dev.forger.service.generation.StreamingGenerator;
import dev.forger.service.imaging.EncodingPool;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.ImageStreamWriter;
import dev.forger.service.imaging.NpyStreamWriter;
import dev.forger.service.imaging.NpyWriter;
import dev.forger.service.imaging.PngWriter;
import dev.forger.service.imaging.TarStreamWriter;
import dev.forger.service.imaging.ZipStreamWriter;
import dev.forger.service.inference.LatentSampler;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.metrics.GenerationMetrics;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.ModelRegistry;
import dev.forger.service.security.Quota;
import dev.forger.service.security.Quotas;
import dev.forger.service.security.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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
 * {@code GET,POST /api/v1/generate}. Runs on a worker thread, which waits: formats held whole (png, grid,
 * json) for the generator's batcher and the encoding pool; streamed formats (npy, zip, tar) while they
 * write batch by batch as the batcher produces them ({@link GenerationStream}), so any count goes out in
 * constant memory. The methods return a plain Response (not a CompletionStage) so that the stream's
 * blocking writes run on that worker thread, where Quarkus REST's output stream waits for the client
 * (backpressure), never on the event loop, where it would buffer instead.
 */
@RolesAllowed(Roles.READER)
@Path(GenerateResource.PATH)
@Tag(name = "generate", description = "Images from a generator")
public class GenerateResource {
    static final String PATH = "/api/v1/generate";
    /** Seeds handed out when the client gives none stay below 2^53, exact in JavaScript clients. */
    private static final long RANDOM_SEED_BOUND = 1L << 53;
    private static final String PRODUCED_DOC = "The images, in the format asked for; npy, zip and tar are streamed"
            + " (npy with Content-Length: its header states the full shape)";

    private final ModelRegistry registry;
    private final ForgerConfig config;
    private final GenerationConfig generation;
    private final ForgerMetrics metrics;
    private final GenerationMetrics generationMetrics;
    private final StreamingGenerator streaming;
    private final EncodingPool encoding;
    private final PngWriter png;
    @Inject
    Quotas quotas;

    public GenerateResource(ModelRegistry registry, ForgerConfig config, GenerationConfig generation,
                            ForgerMetrics metrics, GenerationMetrics generationMetrics, StreamingGenerator streaming,
                            EncodingPool encoding, PngWriter png) {
        this.registry = registry;
        this.config = config;
        this.generation = generation;
        this.metrics = metrics;
        this.generationMetrics = generationMetrics;
        this.streaming = streaming;
        this.encoding = encoding;
        this.png = png;
    }

    @GET
    @Blocking
    @Produces({"image/png", "application/x-npy", "application/zip", "application/x-tar", MediaType.APPLICATION_JSON,
            Problem.MEDIA_TYPE})
    @Operation(summary = "Generate images",
            description = "Draws count latent vectors from the model's latent distribution and returns the generator's"
                    + " images. Sample i of a seed depends only on (seed, i), so the same seed gives the same images"
                    + " bit for bit and offset resumes or shards a large job. npy, zip and tar stream any count (up to"
                    + " forger.generation.max-stream-count). Try `curl -o grid.png '/api/v1/generate?count=64'` or"
                    + " `curl -o digits.npy '/api/v1/generate?count=60000&seed=1&format=npy'`.")
    @APIResponse(responseCode = "200", description = PRODUCED_DOC,
            content = {@Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = "application/x-npy", schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = "application/zip", schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = "application/x-tar", schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = GenerateResponse.class))})
    @APIResponse(responseCode = "400", description = "count, seed, offset or format is invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "406", description = "Neither format nor Accept names a format /generate has",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Queue full or max-streams streams running; retry after"
            + " the Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(
            @Parameter(description = "How many images: up to forger.limits.max-count (256) for png, grid and json; up"
                    + " to forger.generation.max-stream-count for npy and tar, max-zip-count for zip",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1", defaultValue = "1"),
                    example = "64") @QueryParam("count") String count,
            @Parameter(description = "Seed of the latents; random (and returned in X-Forger-Seed) when absent",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64"), example = "7")
            @QueryParam("seed") String seed,
            @Parameter(description = "Index of the first sample in the seed's sequence: offset=k&count=n returns"
                    + " samples k..k+n-1 of the whole sequence, bit for bit (resume a download, shard a job)",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0", defaultValue = "0"),
                    example = "0") @QueryParam("offset") String offset,
            @Parameter(description = "Model name; the default when absent", example = "mnist-dcgan")
            @QueryParam("model") String model,
            @Parameter(description = GenerateFormat.VALUES_DOC, schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"png", "grid", "npy", "zip", "tar", "json"}), example = "grid")
            @QueryParam("format") String format,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @Context HttpServerResponse connection) {
        LoadedModel loaded = registry.get(model);
        long n = Params.longIn("count", count, 1, 1, generation.maxStreamCount(), "the limit of a streamed request is"
                + " forger.generation.max-stream-count; split it with offset");
        GenerateFormat chosen = GenerateFormat.choose(format, accept, n);
        return seeded(loaded, n, Params.optionalLong("seed", seed), offsetOf(offset, n), chosen, connection);
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({"image/png", "application/x-npy", "application/zip", "application/x-tar", MediaType.APPLICATION_JSON,
            Problem.MEDIA_TYPE})
    @Operation(summary = "Generate images (JSON request)",
            description = "As GET, with the parameters in a JSON body; `latents` gives the latent vectors"
                    + " explicitly instead of count and seed.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = GenerateRequest.class),
            examples = {@ExampleObject(name = "seeded", value = "{\"count\": 2, \"seed\": 7, \"format\": \"json\"}"),
                    @ExampleObject(name = "explicit latents", value = GenerateExamples.EXPLICIT_LATENTS,
                            description = "Each vector has the model's latent dimension (100 for mnist-dcgan)"),
                    @ExampleObject(name = "a shard of a large job", value = "{\"count\": 1000, \"seed\": 7,"
                            + " \"offset\": 5000, \"format\": \"npy\"}")}))
    @APIResponse(responseCode = "200", description = PRODUCED_DOC,
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GenerateResponse.class)))
    @APIResponse(responseCode = "400", description = "A field is invalid, or the JSON is malformed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response post(byte[] body, @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT) String accept,
                         @Context HttpServerResponse connection) {
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
            if (request.offset() != null || request.seed() != null) {
                throw new ClientProblem(ProblemType.INVALID_PARAMETER, request.seed() != null ? "seed" : "offset",
                        "seed and offset choose latents from a seed's sequence; leave them out with explicit latents");
            }
            float[] z = explicitLatents(loaded, request.latents());
            int n = request.latents().size();
            LatentSource source = new LatentSource.Explicit(z, loaded.latentDim());
            return respond(loaded, null, source, GenerateFormat.choose(request.format(), accept, n), connection);
        }
        long n = Params.longIn("count", request.count() == null ? null : request.count().toString(), 1, 1,
                generation.maxStreamCount(), "the limit of a streamed request is forger.generation.max-stream-count;"
                        + " split it with offset");
        GenerateFormat chosen = GenerateFormat.choose(request.format(), accept, n);
        String offset = request.offset() == null ? null : request.offset().toString();
        return seeded(loaded, n, request.seed(), offsetOf(offset, n), chosen, connection);
    }

    private static long offsetOf(String offset, long count) {
        return Params.longIn("offset", offset, 0, 0, LatentSampler.MAX_INDEX - count, "sample indices stay below 2^40");
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

    private Response seeded(LoadedModel model, long count, Long seed, long offset, GenerateFormat format,
                            HttpServerResponse connection) {
        long usedSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(RANDOM_SEED_BOUND);
        LatentSource source = new LatentSource.Seeded(model.manifest().latent(), usedSeed, offset, count);
        return respond(model, usedSeed, source, format, connection);
    }

    private Response respond(LoadedModel model, Long seed, LatentSource source, GenerateFormat format,
                             HttpServerResponse connection) {
        long count = source.count();
        if (format == GenerateFormat.PNG && count != 1) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "format", "format=png returns one image but "
                    + count + " were asked for; use count=1, or format=grid, npy, zip, tar or json");
        }
        if (!format.streamed && count > config.limits().maxCount()) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "count", "format=" + format.value()
                    + " is built whole in memory: count must be from 1 to " + config.limits().maxCount()
                    + " (forger.limits.max-count), got " + count + "; npy, zip and tar stream up to "
                    + generation.maxStreamCount() + " images");
        }
        if (format == GenerateFormat.ZIP && count > generation.maxZipCount()) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "count", "a zip lists every entry at its end, so"
                    + " a zip stream holds at most " + generation.maxZipCount() + " images"
                    + " (forger.generation.max-zip-count), got " + count + "; format=tar streams the same PNGs for"
                    + " any count");
        }
        quotas.charge(Quota.GENERATED_IMAGES, count);
        String name = model.name() + (seed == null ? "" : "-" + seed);
        return format.streamed ? stream(model, seed, source, format, name, connection)
                : buffered(model, seed, source, format, name);
    }

    private Response stream(LoadedModel model, Long seed, LatentSource source, GenerateFormat format, String name,
                            HttpServerResponse connection) {
        GenerationStream stream = streaming.open(model, source, format.value());
        StreamingOutput body = out -> stream.writeTo(writer(format, out, model, source, name), PATH, connection::closed);
        String file = source.offset() == 0 ? name
                : name + "-" + String.format("%08d-%08d", source.offset(), source.offset() + source.count() - 1);
        Response.ResponseBuilder response = Response.ok(body, format.mediaType)
                .header("X-Forger-Model", model.name())
                .header("X-Forger-Count", source.count())
                .header("X-Forger-Offset", source.offset())
                .header("Content-Disposition", "attachment; filename=\"" + file + "." + format.extension + "\"");
        if (seed != null) {
            response.header("X-Forger-Seed", seed);
        }
        if (format == GenerateFormat.NPY) {
            response.header(HttpHeaders.CONTENT_LENGTH, NpyWriter.fileLength(source.count(), model.imageShape()));
        }
        return response.build();
    }

    private ImageStreamWriter writer(GenerateFormat format, OutputStream out, LoadedModel model, LatentSource source,
                                     String name) throws java.io.IOException {
        return switch (format) {
            case NPY -> new NpyStreamWriter(out, model.imageShape(), source.count());
            case ZIP -> new ZipStreamWriter(out, name, png);
            case TAR -> new TarStreamWriter(out, name, png);
            default -> throw new IllegalStateException(format + " is not streamed");
        };
    }

    private Response buffered(LoadedModel model, Long seed, LatentSource source, GenerateFormat format,
                                               String name) {
        int count = (int) source.count();
        float[] z = source.vectors(0, count);
        return model.generate(z, count).thenApplyAsync(images -> {
            metrics.imagesGenerated(model.name(), count);
            generationMetrics.delivered(model.name(), format.value(), PATH, count);
            GeneratedImages generated = new GeneratedImages(model.name(), seed, source.offset(), z, model.latentDim(),
                    new ImageBatch(model.imageShape(), count, images));
            return generated.render(format, name, png);
        }, encoding).join();
    }
}
