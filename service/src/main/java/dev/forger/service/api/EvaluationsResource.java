package dev.forger.service.api;

import dev.forger.service.robustness.EvaluationJob;
import dev.forger.service.robustness.EvaluationJobs;
import dev.forger.service.security.Callers;
import dev.forger.service.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.smallrye.common.annotation.Blocking;

/** {@code GET /api/v1/evaluations}: the history of robustness evaluations, newest first, from the shared store. */
@RolesAllowed(Roles.RESEARCHER)
@Path("/api/v1/evaluations")
@Tag(name = "evaluate")
public class EvaluationsResource {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 500;

    private final EvaluationJobs jobs;
    @Inject
    Callers callers;

    public EvaluationsResource(EvaluationJobs jobs) {
        this.jobs = jobs;
    }

    @GET
    @Blocking
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Past and running evaluations with their parameters, model identity, seed, Forger version"
            + " and headline numbers", description = "With identity on, a researcher sees their own evaluations, an"
            + " operator everyone's.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = EvaluationSummary.class)))
    public List<EvaluationSummary> list(
            @Parameter(description = "Only evaluations of this model", example = "mnist-dcgan") @QueryParam("model") String model,
            @Parameter(description = "Only evaluations in this state", schema = @Schema(type = SchemaType.STRING, enumeration = {"queued", "running",
                    "succeeded", "failed", "cancelled"})) @QueryParam("state") String state,
            @Parameter(description = "Most evaluations to list (1 to " + MAX_LIMIT + ")", schema = @Schema(type = SchemaType.INTEGER,
                    defaultValue = "" + DEFAULT_LIMIT)) @QueryParam("limit") String limit) {
        int max = Params.intIn("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        EvaluationJob.State wanted = state == null || state.isBlank() ? null : Params.oneOf("state", state,
                EvaluationJob.State.class);
        return jobs.list(model == null || model.isBlank() ? null : model, wanted, max, callers.ownerFilter()).stream()
                .map(EvaluationSummary::of).toList();
    }
}
