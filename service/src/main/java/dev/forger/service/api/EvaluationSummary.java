package dev.forger.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.robustness.EvaluationJob;
import dev.forger.service.robustness.RobustnessReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One evaluation in the history: what a researcher needs to repeat it (parameters, model identity,
 * seed, Forger version) and its headline numbers.
 */
@Schema(name = "EvaluationSummary")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationSummary(
        String id, String state, Instant created, Instant finished,
        Model model,
        @Schema(description = "Seed of the generated images and of every attack that sets none", example = "7") long seed,
        @Schema(description = "The Forger version that accepted the evaluation", example = "0.1.0-SNAPSHOT") String forgerVersion,
        Parameters parameters,
        EvaluationStatus.Progress progress,
        @Schema(description = "Success rate per attack and epsilon (and median L2 of minimal-perturbation attacks);"
                + " present once the evaluation succeeded") List<Headline> headline,
        @Schema(example = "/api/v1/evaluate/2f0c…") String self,
        @Schema(description = "Who submitted it, when identity is on", example = "alice") String owner) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Model(@Schema(example = "mnist-dcgan") String name, @Schema(example = "2026-11-26.1") String version,
                        @Schema(description = "sha256 of the discriminator the attacks ran on") String sha256) {
        static Model of(EvaluationJob job) {
            return new Model(job.spec().model(), job.spec().modelVersion(), job.spec().modelSha256());
        }
    }

    /** The request as planned: image source, goal, sweep and attacks as the client gave them. */
    public record Parameters(RobustnessReport.ImageSource images, String goal, List<Double> epsilons,
                             List<AttackRequest> attacks,
                             @Schema(description = "Images per unit (forger.evaluation.unit-images)") int unitImages) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Headline(String method, String norm, Double epsilon, double successRate, Double medianL2) {}

    static EvaluationSummary of(EvaluationJob job) {
        var spec = job.spec();
        return new EvaluationSummary(job.id(), job.state().label(), job.created(), job.finished(), Model.of(job),
                spec.seed(), job.forgerVersion(),
                new Parameters(spec.images(), spec.goal().name().toLowerCase(java.util.Locale.ROOT), spec.epsilons(),
                        spec.attacks(), spec.unitImages()),
                new EvaluationStatus.Progress(job.unitsDone(), job.unitsTotal()),
                job.report() == null ? null : headline(job.report()), EvaluateResource.PATH + "/" + job.id(), job.owner());
    }

    private static List<Headline> headline(RobustnessReport report) {
        List<Headline> lines = new ArrayList<>();
        if (report.manifold() != null) { // per search: changed within the bound, and the median smallest budget
            report.manifold().searches().forEach(s -> lines.add(new Headline("bisection " + s.space() + " " + s.goal(),
                    report.manifold().norm(), s.bound(), s.successRate(), s.medianBudget())));
        }
        report.sweep().forEach(p -> lines.add(new Headline(p.method(), p.norm(), p.epsilon(), p.successRate(), null)));
        report.minimal().forEach(m -> lines.add(new Headline(m.method(), "l2", null, m.successRate(), m.medianL2())));
        return lines;
    }
}
