package dev.forger.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem document, as every error of the API is answered. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(
        @Schema(description = "Stable URI naming the kind of problem", example = "urn:forger:problem:wrong-image-size")
        String type,
        @Schema(description = "Short summary of the kind", example = "The image has the wrong size for this model")
        String title,
        @Schema(example = "422") int status,
        @Schema(description = "What exactly is wrong and how to fix it",
                example = "image[0] is 28x28 pixels but the model expects 32x32 (width x height). "
                        + "Send 32x32 images, or add resize=true to let the service rescale.")
        String detail,
        @Schema(description = "The request field at fault, when one is", example = "image[0]")
        String field) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
