package dev.forger.service.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of /score: one verdict per image, in upload order. */
@Schema(name = "ScoreResponse", example = "{\"model\": \"mnist-dcgan\", \"results\": [{\"index\": 0, \"logit\": 1.23,"
        + " \"realProbability\": 0.774}]}")
public record ScoreResponse(String model, List<Result> results) {

    @Schema(name = "ScoreResult")
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Result(
            @Schema(description = "Position of the image in the upload", example = "0") int index,
            @Schema(description = "The discriminator's raw output", example = "1.23") double logit,
            @Schema(description = "sigmoid(logit): the discriminator's belief that the image is real",
                    example = "0.774") double realProbability,
            @Schema(description = "When the bundle has a classifier: the class it predicts (index into the model's"
                    + " classifier.classes)", example = "3") Integer predictedClass,
            @Schema(description = "When the bundle has a classifier: the softmax probability of that class",
                    example = "0.98") Double classProbability) {

        /** The discriminator's verdict alone (bundles without a classifier). */
        public Result(int index, double logit, double realProbability) {
            this(index, logit, realProbability, null, null);
        }
    }

    /** Sigmoid without overflow for large |logit|. */
    static double probability(double logit) {
        if (logit >= 0) {
            return 1 / (1 + Math.exp(-logit));
        }
        double e = Math.exp(logit);
        return e / (1 + e);
    }
}
