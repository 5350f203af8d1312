package dev.forger.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.forger.service.robustness.EvaluationJob;
import dev.forger.service.robustness.RobustnessReport;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An evaluation job as clients see it, from any replica: state, progress, links and the report so far. */
@Schema(name = "EvaluationStatus")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationStatus(
        @Schema(example = "2f0c…") String id,
        @Schema(description = "queued, running, succeeded, failed or cancelled", example = "running") String state,
        Progress progress,
        Instant created, Instant started, Instant finished,
        @Schema(description = "Why the job failed") String error,
        @Schema(description = "The model the attacks ran on, as identified for reproduction") EvaluationSummary.Model model,
        @Schema(description = "Replicas working on the job now and how many units each holds",
                example = "{\"forger-7d9f-abcde/1\": 1}") Map<String, Integer> leases,
        @Schema(description = "This job", example = "/api/v1/evaluate/2f0c…") String self,
        @Schema(description = "The report as a PNG chart", example = "/api/v1/evaluate/2f0c…/chart") String chart,
        @Schema(description = "The results so far; complete once state is succeeded") RobustnessReport report,
        @Schema(description = "Manifold evaluations: the gallery of images at their change points",
                example = "/api/v1/evaluate/2f0c…/gallery") String gallery,
        @Schema(description = "Per image × attack × epsilon, as CSV", example = "/api/v1/evaluate/2f0c…/report.csv")
        String csv,
        @Schema(description = "What the numbers were computed from: Forger version, bundle files by sha256, seed,"
                + " images, every run's resolved parameters") EvaluationProvenance provenance,
        @Schema(description = "For generated images: the body of POST /api/v1/evaluate that runs this evaluation"
                + " again (the same numbers, bit for bit, on the same bundle and Forger)")
        Map<String, Object> request,
        @Schema(description = "With transferTo: the transfer matrix as a chart",
                example = "/api/v1/evaluate/2f0c…/transfer") String transferChart,
        @Schema(description = "Who submitted it, when identity is on", example = "alice") String owner) {

    public record Progress(@Schema(description = "Units finished (a unit: one attack at one epsilon over a slice of"
                                   + " the images)") int done,
                           @Schema(description = "Units planned") int total) {}

    static EvaluationStatus of(EvaluationJob job) {
        String self = EvaluateResource.PATH + "/" + job.id();
        return new EvaluationStatus(job.id(), job.state().label(), new Progress(job.unitsDone(), job.unitsTotal()),
                job.created(), job.started(), job.finished(), job.error(), EvaluationSummary.Model.of(job),
                job.leases(), self, self + "/chart", job.report(), job.spec().isManifold() ? self + "/gallery" : null,
                job.spec().isManifold() ? null : self + "/report.csv", EvaluationProvenance.of(job),
                EvaluationProvenance.request(job), job.spec().transfers() ? self + "/transfer" : null,
                job.owner());
    }
}
