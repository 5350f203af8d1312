package dev.forger.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.forger.service.robustness.EvaluationJob;
import dev.forger.service.robustness.EvaluationSpec;
import dev.forger.service.robustness.RobustnessReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Where an evaluation's numbers come from: the Forger that planned it, the bundle's files by sha256, the seed,
 * the images (generator seed, or the digest of an upload) and every run's attack with all its parameters
 * resolved — and, for generated images, the body that {@code POST /api/v1/evaluate} takes to run it again.
 */
@Schema(name = "EvaluationProvenance")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationProvenance(
        @Schema(example = "0.1.0-SNAPSHOT") String forgerVersion,
        EvaluationSummary.Model model,
        @Schema(description = "Every file of the bundle as served when the evaluation was planned")
        List<EvaluationSpec.BundleFile> files,
        @Schema(example = "7") long seed,
        @Schema(description = "generated (with the generator's seed) or upload; sha256 of the images as evaluated"
                + " (float32 little-endian NCHW)") RobustnessReport.ImageSource images,
        @Schema(description = "Images per unit (forger.evaluation.unit-images)", example = "32") int unitImages,
        @Schema(description = "Each attack run as planned, with every parameter it read") List<EvaluationSpec.Run> runs,
        @Schema(description = "The models adversarial images were also scored on, as identified when planned")
        List<dev.forger.service.robustness.ModelIdentity> transferTo) {

    static EvaluationProvenance of(EvaluationJob job) {
        EvaluationSpec spec = job.spec();
        return new EvaluationProvenance(job.forgerVersion(), EvaluationSummary.Model.of(job), spec.files(), spec.seed(),
                spec.images(), spec.unitImages(), spec.runs(), spec.transferTo());
    }

    /**
     * The JSON body that evaluates the same generated images with the same attacks again: each attack with every
     * parameter its runs read (so later changes of defaults do not change it), the sweep, goal, seed and model.
     * Null for uploads (send the same images again; {@code images.sha256} identifies them) and manifold evaluations.
     */
    static Map<String, Object> request(EvaluationJob job) {
        EvaluationSpec spec = job.spec();
        if (spec.isManifold() || !"generated".equals(spec.images().source()) || spec.images().seed() == null
                || spec.images().seed() != spec.seed()) {
            return null;
        }
        List<Map<String, Object>> attacks = new ArrayList<>();
        for (int a = 0; a < spec.attacks().size(); a++) {
            Map<String, Object> attack = new LinkedHashMap<>();
            attack.put("method", spec.attacks().get(a).method());
            for (EvaluationSpec.Run run : spec.runs()) {
                if (run.attack() == a && run.parameters() != null) {
                    attack.putAll(run.parameters());
                    attack.remove("epsilon"); // the sweep's
                    break;
                }
            }
            attacks.add(attack);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("model", spec.model());
        request.put("count", spec.images().count());
        request.put("seed", spec.seed());
        request.put("goal", spec.goal().name().toLowerCase(Locale.ROOT));
        request.put("epsilons", spec.epsilons());
        request.put("attacks", attacks);
        if (spec.transfers()) {
            request.put("transferTo", spec.transferTo().stream().map(t -> t.name()).toList());
        }
        return request;
    }
}
