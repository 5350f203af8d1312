package dev.forger.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of /attack in JSON (DESIGN.md "Service API"). */
@Schema(name = "AttackResponse")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttackResponse(
        @Schema(example = "mnist-dcgan") String model,
        @Schema(example = "pgd") String method,
        @Schema(description = "Every parameter the attack read, defaults filled in",
                example = "{\"epsilon\": 0.0314, \"norm\": \"linf\", \"steps\": 20, \"stepSize\": 0.0039,"
                        + " \"randomStart\": true, \"goal\": \"flip\", \"seed\": 0, \"quantize\": true}")
        Map<String, Object> parameters,
        List<Result> results,
        @Schema(description = "Wall time of the attack, queueing included", example = "41") long elapsedMs,
        @Schema(description = "For method=auto: each member in the order it ran, the parameters it read, the images"
                + " it attacked (those no member before it broke) and broke, and the model calls it spent on them")
        List<Member> members) {

    public AttackResponse(String model, String method, Map<String, Object> parameters, List<Result> results,
                          long elapsedMs) {
        this(model, method, parameters, results, elapsedMs, null);
    }

    @Schema(name = "EnsembleMember")
    public record Member(@Schema(example = "apgd") String method, Map<String, Object> parameters,
                         @Schema(example = "16") int images, @Schema(example = "9") int broken,
                         @Schema(example = "1616") long gradientCalls, @Schema(example = "32") long forwardCalls) {}

    @Schema(name = "AttackResult")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(
            @Schema(description = "Position of the image in the upload", example = "0") int index,
            @Schema(description = "Whether the returned image meets the goal", example = "true") boolean success,
            Verdict original,
            @Schema(description = "The verdict on exactly the returned image") Verdict adversarial,
            @Schema(description = "L∞ norm of the perturbation in pixel units of [0, 1]: the returned image minus the"
                    + " original it is compared to (its 8-bit version when quantize=true, in whole grey levels);"
                    + " never above epsilon for the bounded attacks", example = "0.03137254901960784") double linf,
            @Schema(description = "L2 norm of the perturbation in pixel units of [0, 1], measured as linf is",
                    example = "0.61") double l2,
            @Schema(description = "Gradient-graph evaluations this image took part in", example = "20") int gradientCalls,
            @Schema(description = "Discriminator forward evaluations this image took part in", example = "21") int forwardCalls,
            @Schema(description = "The original already met the goal; unless skipAtGoal=false it is returned as it is,"
                    + " a success without perturbation", example = "false") boolean alreadyAtGoal,
            @Schema(description = "For method=auto: the member that broke this image (absent when none did)",
                    example = "apgd") String brokenBy,
            @Schema(description = "The adversarial image as base64 PNG") String image) {}

    @Schema(name = "Verdict")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Verdict(
            @Schema(example = "1.2") double logit,
            @Schema(example = "0.77") double realProbability,
            @Schema(description = "With a classifier in the bundle: the class it predicts (its index)", example = "3")
            Integer predictedClass,
            @Schema(description = "With a classifier: the softmax probability of the predicted class", example = "0.98")
            Double classProbability) {

        /** The discriminator's verdict alone (bundles without a classifier). */
        public Verdict(double logit, double realProbability) {
            this(logit, realProbability, null, null);
        }
    }
}
