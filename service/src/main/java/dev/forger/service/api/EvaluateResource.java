package dev.forger.service.api;

import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.Goal;
import dev.forger.service.config.ForgerConfig;
import dev.forger.service.imaging.PngWriter;
import dev.forger.service.inference.LatentSampler;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.ModelRegistry;
import dev.forger.service.robustness.AttackService;
import dev.forger.service.robustness.EvaluationJob;
import dev.forger.service.robustness.EvaluationJobs;
import dev.forger.service.robustness.ManifoldChart;
import dev.forger.service.robustness.ManifoldPlan;
import dev.forger.service.robustness.ReportChart;
import dev.forger.service.robustness.RobustnessReport;
import dev.forger.service.robustness.TransferChart;
import dev.forger.service.security.Callers;
import dev.forger.service.security.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/evaluate}: robustness reports as background jobs. POST plans the evaluation
 * (every parameter checked at once), queues it and answers 202 with the job's URL; GET shows
 * progress and the partial report, {@code /chart} draws it, DELETE cancels or forgets it.
 */
@RolesAllowed(Roles.RESEARCHER)
@Path(EvaluateResource.PATH)
@Tag(name = "evaluate", description = "Robustness reports: attack success against epsilon over many images")
public class EvaluateResource {
    static final String PATH = "/api/v1/evaluate";
    static final List<String> DEFAULT_ATTACKS = List.of("fgsm", "pgd", "deepfool");
    /** 1, 2, 4, 8 and 16 grey levels of 255: the usual L∞ sweep. */
    static final List<Double> DEFAULT_EPSILONS = List.of(1 / 255.0, 2 / 255.0, 4 / 255.0, 8 / 255.0, 16 / 255.0);
    private static final int DEFAULT_COUNT = 64;

    private final ModelRegistry registry;
    private final ForgerConfig config;
    private final AttackService attacks;
    private final EvaluationJobs jobs;
    private final PngWriter png;
    private final ForgerMetrics metrics;
    private final Uploads uploads;
    @Inject
    Callers callers;

    public EvaluateResource(ModelRegistry registry, ForgerConfig config, AttackService attacks, EvaluationJobs jobs,
                            PngWriter png, Uploads uploads, ForgerMetrics metrics) {
        this.registry = registry;
        this.config = config;
        this.attacks = attacks;
        this.jobs = jobs;
        this.png = png;
        this.metrics = metrics;
        this.uploads = uploads;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Evaluate robustness on generated images",
            description = "Generates count images with seed, runs every attack at every epsilon (deepfool and cw"
                    + " once: they find the smallest L2 themselves) and reports success rates, score shifts, norms"
                    + " and model calls. Runs as a job: 202 with its URL in Location.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = EvaluateRequest.class)))
    @APIResponse(responseCode = "202", description = "The job, queued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EvaluationStatus.class)))
    @APIResponse(responseCode = "400", description = "A field is invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "forger.evaluation.max-queued-units units are queued already"
            + " (over all replicas), or the evaluation store is unreachable; retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response evaluateGenerated(byte[] body) {
        EvaluateRequest request = JsonBodies.read(body, EvaluateRequest.class);
        if (request == null) {
            request = new EvaluateRequest(null, null, null, null, null, null);
        }
        LoadedModel model = registry.get(request.model());
        int count = Params.intIn("count", request.count() == null ? null : request.count().toString(), DEFAULT_COUNT,
                1, config.evaluation().maxImages());
        long seed = request.seed() == null ? 0 : request.seed();
        ManifoldPlan manifold = ManifoldEvaluations.plan(model, request, attacks.limits());
        float[] z = LatentSampler.sample(model.manifest().latent(), seed, count);
        float[] images = model.generate(z, count).join();
        metrics.imagesGenerated(model.name(), count);
        if (manifold != null) {
            EvaluationJob job = jobs.submitManifold(model, images, new RobustnessReport.ImageSource("generated", count,
                    seed), manifold, seed, callers.owner());
            return Response.accepted(EvaluationStatus.of(job)).location(URI.create(PATH + "/" + job.id())).build();
        }
        List<AttackRequest> attackRequests = new ArrayList<>();
        for (AttackQuery query : request.attacks() == null ? defaultAttacks() : request.attacks()) {
            attackRequests.add(query.toRequest(true));
        }
        return submit(model, images, count, new RobustnessReport.ImageSource("generated", count, seed),
                attackRequests, epsilons(request.epsilons()), request.goal(), seed, TransferTargets.resolve(registry, model, request.transferTo()));
    }

    @POST
    @Blocking
    @Consumes({UploadSpec.NPY, UploadSpec.ZIP, MediaType.APPLICATION_OCTET_STREAM})
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Evaluate robustness on uploaded images",
            description = "The body is a .npy batch or a zip of image files (PNG, JPEG, GIF, BMP) or .npy files;"
                    + " the sweep is in the query."
                    + " `curl --data-binary @digits.npy -H 'Content-Type: application/x-npy'"
                    + " '.../api/v1/evaluate?attacks=fgsm,pgd&epsilons=0.0157,0.0314'`")
    @RequestBody(required = true, content = {
            @Content(mediaType = "application/x-npy", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/zip", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "202", description = "The job, queued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EvaluationStatus.class)))
    @APIResponse(responseCode = "4XX", description = "A parameter or the upload is invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> evaluateUploaded(
            byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Parameter(description = "Model name; the default when absent") @QueryParam("model") String modelName,
            @Parameter(description = "Comma-separated methods, each with its defaults", example = "fgsm,pgd,deepfool")
            @QueryParam("attacks") String attackList,
            @Parameter(description = "Comma-separated epsilons in pixel units", example = "0.0157,0.0314")
            @QueryParam("epsilons") String epsilonList,
            @Parameter(description = "fake, real or flip (default)", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"fake", "real", "flip"}, defaultValue = "flip")) @QueryParam("goal") String goal,
            @Parameter(description = "Seed of every attack", example = "0", schema = @Schema(type = SchemaType.INTEGER,
                    format = "int64")) @QueryParam("seed") String seed,
            @Parameter(description = AttackResource.RESIZE_DOC, schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"false", "true", "scale", "pad"}, defaultValue = "false"))
            @QueryParam("resize") String resize,
            @Parameter(description = "Comma-separated models to score the adversarial images on too (a transfer"
                    + " matrix); loaded, of this model's image shape", example = "other-model")
            @QueryParam("transferTo") String transferTo) {
        LoadedModel model = registry.get(modelName);
        List<LoadedModel> targets = TransferTargets.fromQuery(registry, model, transferTo);
        UploadSpec spec = new UploadSpec("POST " + PATH, UploadSpec.NPY_OR_ZIP, model.imageShape(),
                Params.resize("resize", resize), config.evaluation().maxImages(), "Zip the images (python3 -m"
                + " zipfile -c digits.zip a.png b.png) or send one .npy batch; /api/v1/attack takes single images.");
        return uploads.body(body, contentType, spec).thenApply(images -> evaluate(model, images, attackList,
                epsilonList, goal, seed, targets));
    }

    private Response evaluate(LoadedModel model, UploadedImages images, String attackList, String epsilonList,
                              String goal, String seed, List<LoadedModel> transferTo) {
        List<AttackRequest> attackRequests = new ArrayList<>();
        List<String> methods = attackList == null || attackList.isBlank() ? DEFAULT_ATTACKS
                : Arrays.stream(attackList.split(",")).map(String::strip).toList();
        for (String method : methods) {
            attackRequests.add(AttackQuery.of(method).toRequest(true));
        }
        Long attackSeed = Params.optionalLong("seed", seed);
        return submit(model, images.packed(), images.count(),
                new RobustnessReport.ImageSource("upload", images.count(), null), attackRequests,
                epsilons(parseList(epsilonList)), goal, attackSeed == null ? 0 : attackSeed, transferTo);
    }

    @GET
    @Path("/{id}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "An evaluation's state, progress and report so far")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = EvaluationStatus.class)))
    @APIResponse(responseCode = "404", description = "No such evaluation (finished ones are kept for"
            + " forger.evaluation.retention, or until deleted)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public EvaluationStatus status(@PathParam("id") String id) {
        return EvaluationStatus.of(job(id));
    }

    @GET
    @Path("/{id}/chart")
    @Blocking
    @Produces({"image/png", Problem.MEDIA_TYPE})
    @Operation(summary = "The report as a chart: success rate and mean P(real) against epsilon, per attack")
    @APIResponse(responseCode = "200", content = @Content(mediaType = "image/png",
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Response chart(@PathParam("id") String id) {
        EvaluationJob job = job(id);
        if (job.spec().isManifold()) {
            return Response.ok(png.encode(ManifoldChart.draw(job.report().manifold())), "image/png")
                    .header("Content-Disposition", "inline; filename=\"evaluation-" + id + ".png\"").build();
        }
        return Response.ok(png.encode(ReportChart.draw(job.report())), "image/png")
                .header("Content-Disposition", "inline; filename=\"evaluation-" + id + ".png\"").build();
    }

    @GET
    @Path("/{id}/transfer")
    @Blocking
    @Produces({"image/png", Problem.MEDIA_TYPE})
    @Operation(summary = "The transfer matrix as a chart: per attack run, the source's success and the share of its"
            + " adversarial images that meet the goal on each model of transferTo")
    @APIResponse(responseCode = "200", content = @Content(mediaType = "image/png",
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "No such evaluation, or it scored no other model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response transferChart(@PathParam("id") String id) {
        EvaluationJob job = job(id);
        if (job.report() == null || job.report().transfer() == null) {
            throw new ClientProblem(ProblemType.NOT_FOUND, "id", "evaluation " + id + " scored no other model; POST"
                    + " /api/v1/evaluate with \"transferTo\": [model, …] for a transfer matrix");
        }
        return Response.ok(png.encode(TransferChart.draw(job.report())), "image/png")
                .header("Content-Disposition", "inline; filename=\"transfer-" + id + ".png\"").build();
    }

    @GET
    @Path("/{id}/report.csv")
    @Blocking
    @Produces({"text/csv", Problem.MEDIA_TYPE})
    @Operation(summary = "The per-image results: one row per image × attack × epsilon (finished runs so far), one"
            + " header row; no times, so two runs of the same request give the same bytes")
    @APIResponse(responseCode = "200", content = @Content(mediaType = "text/csv",
            schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No such evaluation, or an on/off-manifold one",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response csv(@PathParam("id") String id) {
        EvaluationJob job = job(id);
        return Response.ok(jobs.csv(job), "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"evaluation-" + id + ".csv\"").build();
    }

    @GET
    @Path("/{id}/gallery")
    @Blocking
    @Produces({"image/png", Problem.MEDIA_TYPE})
    @Operation(summary = "An on/off-manifold evaluation's gallery: its first digits and the images at each search's"
            + " change point (the pixel perturbation at the smallest ε, G(z') at the smallest δ), with the verdicts")
    @APIResponse(responseCode = "200", content = @Content(mediaType = "image/png",
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "No such evaluation, not an on/off-manifold one, or no search"
            + " finished yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response gallery(@PathParam("id") String id) {
        EvaluationJob job = job(id);
        return Response.ok(png.encode(ManifoldEvaluations.gallery(job, jobs, registry)), "image/png")
                .header("Content-Disposition", "inline; filename=\"gallery-" + id + ".png\"").build();
    }

    @DELETE
    @Path("/{id}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Cancel a queued or running evaluation (every replica stops its units), or delete a finished one")
    @APIResponse(responseCode = "200", description = "Cancelled; the partial report stays until the retention ends",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EvaluationStatus.class)))
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("id") String id) {
        job(id);
        return jobs.delete(id).map(cancelled -> Response.ok(EvaluationStatus.of(cancelled)).build())
                .orElseGet(() -> Response.noContent().build());
    }

    private Response submit(LoadedModel model, float[] images, int count, RobustnessReport.ImageSource source,
                            List<AttackRequest> attackRequests, List<Double> epsilons, String goal, long seed,
                            List<LoadedModel> transferTo) {
        Goal resolvedGoal = goal == null || goal.isBlank() ? Goal.FLIP : Goal.parse(goal);
        EvaluationJob job = jobs.submit(model, images, source, attackRequests, epsilons, resolvedGoal, seed, transferTo,
                callers.owner());
        return Response.accepted(EvaluationStatus.of(job)).location(URI.create(PATH + "/" + job.id())).build();
    }

    private List<Double> epsilons(List<Double> given) {
        if (given == null || given.isEmpty()) {
            return DEFAULT_EPSILONS;
        }
        if (given.size() > config.evaluation().maxEpsilons()) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "epsilons", given.size() + " epsilons; a sweep"
                    + " has at most " + config.evaluation().maxEpsilons() + " (forger.evaluation.max-epsilons)");
        }
        for (Double e : given) {
            if (e == null || !(e > 0) || !Double.isFinite(e)) {
                throw new ClientProblem(ProblemType.INVALID_PARAMETER, "epsilons", "every epsilon must be a positive"
                        + " number in pixel units of [0, 1] (8/255 = 0.0314), got " + e);
            }
        }
        return List.copyOf(given);
    }

    private static List<Double> parseList(String list) {
        if (list == null || list.isBlank()) {
            return null;
        }
        List<Double> values = new ArrayList<>();
        for (String part : list.split(",")) {
            values.add(Params.optionalDouble("epsilons", part));
        }
        return values;
    }

    private static List<AttackQuery> defaultAttacks() {
        return DEFAULT_ATTACKS.stream().map(AttackQuery::of).toList();
    }

    /** The evaluation, if it is the caller's to see (their own, or anyone's for an operator). */
    private EvaluationJob job(String id) {
        EvaluationJob job = jobs.get(id).orElseThrow(() -> unknown(id));
        callers.checkMayAccess(id, job.owner());
        return job;
    }

    private static ClientProblem unknown(String id) {
        return new ClientProblem(ProblemType.NOT_FOUND, "id", "no evaluation job '" + id + "'; finished jobs are"
                + " kept for forger.evaluation.retention (or until deleted); GET /api/v1/evaluations lists them");
    }
}
