package dev.forger.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON answer of {@code POST /attack} for generated digits (a JSON body of latents or a seed). */
@Schema(name = "LatentAttackResponse")
public record LatentAttackResponse(
        @Schema(example = "mnist-dcgan") String model,
        @Schema(example = "pgd") String method,
        @Schema(description = "latent: the latent z was perturbed (the image is G(z')); pixel: the generated"
                + " image G(z) was", example = "latent") String space,
        @Schema(description = "The goal: fake, real, flip, class:k or class-change", example = "flip") String goal,
        @Schema(description = "Every parameter the attack read, defaults filled in; epsilon is δ in latent units"
                + " for space=latent") Map<String, Object> parameters,
        List<Result> results,
        @Schema(description = "Wall time of the attack, queueing included", example = "120") long elapsedMs) {

    @Schema(name = "LatentAttackResult")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(
            @Schema(example = "0") int index,
            @Schema(description = "Whether the returned point meets the goal (for class goals: the classifier's"
                    + " verdict; the discriminator's is reported beside it)") boolean success,
            @Schema(description = "The original already met the goal and was returned as it is") boolean alreadyAtGoal,
            @Schema(description = "The networks' verdicts on G(z)") AttackResponse.Verdict original,
            @Schema(description = "The networks' verdicts on exactly the returned image") AttackResponse.Verdict adversarial,
            @Schema(description = "L∞ norm of the perturbation in the attack's space: latent units for space=latent"
                    + " (never above epsilon), pixel units of [0, 1] for space=pixel") double linf,
            @Schema(description = "L2 norm of the perturbation, in the same units") double l2,
            @Schema(description = "L∞ distance of the returned image from G(z), pixel units of [0, 1] (float images)")
            double pixelLinf,
            @Schema(description = "L2 distance of the returned image from G(z), pixel units of [0, 1]") double pixelL2,
            int gradientCalls,
            int forwardCalls,
            @Schema(description = "The original latent z") float[] originalLatent,
            @Schema(description = "The adversarial latent z' (space=latent only)") float[] adversarialLatent,
            @Schema(description = "G(z) as base64 PNG") String originalImage,
            @Schema(description = "The returned image as base64 PNG: G(z') for space=latent") String image) {}
}
