package dev.forger.service.api;

import dev.forger.service.config.ForgerConfig;
import dev.forger.service.imaging.ResizeMode;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.ModelRegistry;
import dev.forger.service.security.Roles;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * {@code POST /api/v1/score}: the discriminator's verdict on uploaded images, as a raw body (one
 * PNG/JPEG/GIF/BMP, or a batch in .npy) or as multipart with one or more {@code image} parts, scored
 * through the discriminator's batcher.
 *
 * <p>Threads: the raw body's method runs on the event loop, and {@link Uploads} decides where its body is
 * decoded (there when it is cheap, else on the encoding pool); the answer is written on the request's own
 * context. Multipart uploads are files on disk and stay on a worker thread.
 */
@RolesAllowed(Roles.READER)
@Path("/api/v1/score")
@Tag(name = "score", description = "The discriminator's verdict on images")
public class ScoreResource {
    private static final String MODEL_DOC = "Model name; the default when absent";
    private static final String RESIZE_DOC = "What to do with images of another size than the model's: `false`"
            + " (default) refuses them with 422; `pad` centres smaller ones on black, as the trainer frames"
            + " 28x28 MNIST digits in 32x32 (so use it for real MNIST digits; larger images are refused);"
            + " `true` or `scale` rescales (bilinear up, area average down)";

    static final String ENDPOINT = "POST /api/v1/score";

    private final ModelRegistry registry;
    private final ForgerConfig config;
    private final ScoreReplies replies;
    private final Uploads uploads;

    public ScoreResource(ModelRegistry registry, ForgerConfig config, ScoreReplies replies, Uploads uploads) {
        this.registry = registry;
        this.config = config;
        this.replies = replies;
        this.uploads = uploads;
    }

    @POST
    @Consumes({UploadSpec.PNG, UploadSpec.JPEG, UploadSpec.GIF, UploadSpec.BMP, UploadSpec.NPY,
            MediaType.APPLICATION_OCTET_STREAM})
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Score one image or an .npy batch",
            description = "The body is one PNG, JPEG, GIF or BMP image (grey, RGB or with alpha: converted to the"
                    + " model's channels; its Content-Type must name its format, or be application/octet-stream),"
                    + " or NumPy .npy data: float32 [N,C,H,W] in [-1, 1], or uint8 [N,H,W] / [N,H,W,C]."
                    + " `curl --data-binary @digit.png -H 'Content-Type: image/png' .../api/v1/score`")
    @RequestBody(required = true, content = {
            @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/gif", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/bmp", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/x-npy", schema = @Schema(type = SchemaType.STRING, format = "binary",
                    description = "numpy.save output: float32 [N,C,H,W] in [-1,1] or uint8 [N,H,W(,C)]"))})
    @APIResponse(responseCode = "200", description = "One verdict per image",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScoreResponse.class)))
    @APIResponse(responseCode = "400", description = "Corrupt image or malformed .npy",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body, image or image count over the limits",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Not an image, or not the format its Content-Type names",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Wrong image size (without resize, or larger than the model"
            + " with resize=pad), NaN/Inf or out-of-range values",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Queue full; retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> scoreBody(
            byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Parameter(description = MODEL_DOC, example = "mnist-dcgan") @QueryParam("model") String model,
            @Parameter(description = RESIZE_DOC, example = "pad", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"false", "true", "scale", "pad"}, defaultValue = "false"))
            @QueryParam("resize") String resize) {
        LoadedModel loaded = registry.get(model);
        Context request = Vertx.currentContext();
        return uploads.body(body, contentType, spec(loaded, Params.resize("resize", resize)))
                .thenCompose(images -> replies.score(loaded, images, request));
    }

    private UploadSpec spec(LoadedModel model, ResizeMode resize) {
        return new UploadSpec(ENDPOINT, UploadSpec.IMAGES_OR_NPY, model.imageShape(), resize,
                config.limits().maxImagesPerRequest(), "Send one image file, an .npy batch, or several images as"
                + " multipart/form-data parts named image (curl -F image=@a.png -F image=@b.png).");
    }

    @POST
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Score several images (multipart)",
            description = "One or more parts named `image`, each a PNG, JPEG, GIF, BMP or .npy file."
                    + " `curl -F image=@a.png -F image=@b.png .../api/v1/score`")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = MultipartScoreForm.class)))
    @APIResponse(responseCode = "200", description = "One verdict per image, in part order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScoreResponse.class)))
    @APIResponse(responseCode = "4XX", description = "See the raw-body variant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> scoreMultipart(
            @RestForm("image") List<FileUpload> parts,
            @RestForm("model") String formModel,
            @RestForm("resize") String formResize,
            @Parameter(description = MODEL_DOC) @QueryParam("model") String model,
            @Parameter(description = RESIZE_DOC, schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"false", "true", "scale", "pad"}, defaultValue = "false"))
            @QueryParam("resize") String resize) {
        LoadedModel loaded = registry.get(model != null ? model : formModel);
        ResizeMode rescale = Params.resize("resize", resize != null ? resize : formResize);
        return uploads.parts(parts, spec(loaded, rescale)).thenCompose(images -> replies.score(loaded, images));
    }

    /** Documentation only: the multipart form as OpenAPI shows it. */
    @Schema(name = "MultipartScoreForm")
    static class MultipartScoreForm {
        @Schema(description = "One or more image files (PNG, JPEG, GIF, BMP or .npy), all in one field named image",
                type = SchemaType.ARRAY, implementation = String.class, format = "binary")
        public List<String> image;
        @Schema(description = MODEL_DOC, example = "mnist-dcgan")
        public String model;
        @Schema(description = RESIZE_DOC, example = "pad", enumeration = {"false", "true", "scale", "pad"},
                defaultValue = "false")
        public String resize;
    }
}
