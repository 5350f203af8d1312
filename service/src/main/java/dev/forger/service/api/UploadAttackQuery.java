package dev.forger.service.api;

import dev.forger.service.attacks.AttackScope;
import dev.forger.service.imaging.ResizeMode;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The query parameters of {@code POST /attack} on uploaded images (one body, or multipart parts) beside the
 * attack's own ({@link AttackQuery}): which model, what to do with images of another size, the answer's format,
 * and the space, which for uploads can only be pixel.
 */
public class UploadAttackQuery {
    @QueryParam("model")
    @Parameter(description = "Model name; the default when absent", example = "mnist-dcgan")
    public String model;

    @QueryParam("resize")
    @Parameter(description = AttackResource.RESIZE_DOC, schema = @Schema(type = SchemaType.STRING,
            enumeration = {"false", "true", "scale", "pad"}, defaultValue = "false"))
    public String resize;

    @QueryParam("format")
    @Parameter(description = AttackResource.FORMAT_DOC, schema = @Schema(type = SchemaType.STRING,
            enumeration = {"json", "npy", "png", "figure"}))
    public String format;

    @QueryParam("space")
    @Parameter(description = AttackResource.SPACE_DOC, schema = @Schema(type = SchemaType.STRING,
            enumeration = {"pixel", "latent"}, defaultValue = "pixel"))
    public String space;

    ResizeMode resizeMode() {
        return Params.resize("resize", resize);
    }

    /** The answer's format from format, else from the Accept header. */
    AttackFormat answer(String accept) {
        return AttackFormat.choose(format, accept);
    }

    /** Uploaded images are attacked in pixel space; latent attacks start from latents. */
    void requirePixelSpace() {
        if (AttackScope.parseLatent(space)) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "space", "space=latent perturbs latents, and an"
                    + " uploaded image has none: send the latents as JSON ({\"count\": 8, \"seed\": 7} or"
                    + " {\"latents\": [[...]]}, Content-Type: application/json), or drop space to attack the pixels");
        }
    }
}
