package dev.forger.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.forger.service.robustness.EvaluationJob;
import dev.forger.service.robustness.RobustnessReport;
import java.time.Instant;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An evaluation job as clients see it: state, progress, links and the report so far. */
@Schema(name = "EvaluationStatus")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationStatus(
        @Schema(example = "2f0c…") String id,
        @Schema(description = "queued, running, succeeded, failed or cancelled", example = "running") String state,
        Progress progress,
        Instant created, Instant started, Instant finished,
        @Schema(description = "Why the job failed") String error,
        @Schema(description = "This job", example = "/api/v1/evaluate/2f0c…") String self,
        @Schema(description = "The report as a PNG chart", example = "/api/v1/evaluate/2f0c…/chart") String chart,
        @Schema(description = "The results so far; complete once state is succeeded") RobustnessReport report) {

    public record Progress(@Schema(description = "Attack runs finished") int done,
                           @Schema(description = "Attack runs planned") int total) {}

    static EvaluationStatus of(EvaluationJob job) {
        String self = EvaluateResource.PATH + "/" + job.id();
        return new EvaluationStatus(job.id(), job.state().name().toLowerCase(Locale.ROOT),
                new Progress(job.evaluation().done(), job.evaluation().total()), job.created(), job.started(),
                job.finished(), job.error(), self, self + "/chart", job.evaluation().report());
    }
}
