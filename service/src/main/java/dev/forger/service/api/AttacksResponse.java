package dev.forger.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code GET /attacks}: every attack method with the parameters it reads, their defaults and limits. */
@Schema(name = "AttacksResponse")
public record AttacksResponse(
        @Schema(description = "The goals, the default first", example = "[\"flip\", \"fake\", \"real\"]")
        List<String> goals,
        Limits limits,
        List<Method> methods) {

    @Schema(name = "AttackLimits", description = "The service's bounds (forger.attacks.*, forger.limits.*)")
    public record Limits(
            @Schema(example = "1000") int maxSteps,
            @Schema(example = "10000") int maxQueries,
            @Schema(example = "20") int maxSearchSteps,
            @Schema(description = "Most images in one /attack request", example = "64") int maxImagesPerRequest) {}

    @Schema(name = "AttackMethod")
    public record Method(
            @Schema(example = "pgd") String method,
            @Schema(description = "False for the black-box attacks, which make forward calls only", example = "true")
            boolean usesGradients,
            @Schema(description = "Whether epsilon bounds the perturbation; false for deepfool and cw, which find"
                    + " the smallest one themselves", example = "true")
            boolean epsilonBounded,
            @Schema(description = "Supported norms, the default first", example = "[\"linf\", \"l2\"]")
            List<String> norms,
            @Schema(description = "Per norm: the parameters the method reads (besides norm), in a sensible form order")
            Map<String, List<Parameter>> parameters) {}

    @Schema(name = "AttackParameter")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Parameter(
            @Schema(description = "The query parameter of POST /attack", example = "epsilon") String name,
            @Schema(example = "Perturbation budget in pixel units of [0, 1]") String description,
            @Schema(description = "number, integer, boolean or string", example = "number") String type,
            @JsonProperty("default") @Schema(description = "The value used when the request leaves it out",
                    example = "0.0314") Object defaultValue,
            @Schema(example = "0") Double minimum,
            @Schema(description = "True when the minimum itself is refused") Boolean exclusiveMinimum,
            @Schema(example = "1") Double maximum,
            @Schema(description = "The values a string parameter takes") List<String> choices,
            @Schema(description = "When present, the default stepSize is stepFactor × epsilon / steps for the"
                    + " epsilon and steps sent; default is that value at the default epsilon and steps",
                    example = "2.5") Double stepFactor) {}
}
