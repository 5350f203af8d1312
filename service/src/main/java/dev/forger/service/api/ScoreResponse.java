package dev.forger.service.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of /score: one verdict per image, in upload order. */
@Schema(name = "ScoreResponse", example = "{\"model\": \"mnist-dcgan\", \"results\": [{\"index\": 0, \"logit\": 1.23,"
        + " \"realProbability\": 0.774}]}")
public record ScoreResponse(String model, List<Result> results) {

    @Schema(name = "ScoreResult")
    public record Result(
            @Schema(description = "Position of the image in the upload", example = "0") int index,
            @Schema(description = "The discriminator's raw output", example = "1.23") double logit,
            @Schema(description = "sigmoid(logit): the discriminator's belief that the image is real",
                    example = "0.774") double realProbability) {}

    /** Sigmoid without overflow for large |logit|. */
    static double probability(double logit) {
        if (logit >= 0) {
            return 1 / (1 + Math.exp(-logit));
        }
        double e = Math.exp(logit);
        return e / (1 + e);
    }
}
