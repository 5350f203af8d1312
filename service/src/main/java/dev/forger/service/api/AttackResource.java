package dev.forger.service.api;

import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.ResolvedAttack;
import dev.forger.service.config.ForgerConfig;
import dev.forger.service.imaging.EncodingPool;
import dev.forger.service.imaging.ResizeMode;
import dev.forger.service.imaging.PngWriter;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.ModelRegistry;
import dev.forger.service.robustness.AttackService;
import dev.forger.service.robustness.Threat;
import dev.forger.service.robustness.ThreatAttacks;
import dev.forger.service.security.Quota;
import dev.forger.service.security.Quotas;
import dev.forger.service.security.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
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
 * {@code POST /api/v1/attack}: perturbs uploaded images until the discriminator changes its
 * verdict. Uploads take {@link Uploads}' road (decoded on this worker thread), the attack runs on an
 * attack thread (its model calls through the batchers), and the answer is encoded on the encoding pool.
 */
@RolesAllowed(Roles.RESEARCHER)
@Path("/api/v1/attack")
@Tag(name = "attack", description = "Adversarial perturbations of images against the discriminator")
public class AttackResource {
    static final String ENDPOINT = "POST /api/v1/attack";
    static final String RESIZE_DOC = "Images of another size than the model's: false (default) refuses them, pad"
            + " centres smaller ones on black as the trainer framed 28x28 digits, true or scale rescales";
    static final String FORMAT_DOC = "json (default), npy (the float batch), png (one image; scores in"
            + " X-Forger-* headers) or figure (original / perturbation ×k / adversarial with scores, as one PNG);"
            + " without it the Accept header decides";

    private final ModelRegistry registry;
    private final ForgerConfig config;
    private final AttackService attacks;
    private final EncodingPool encoding;
    private final PngWriter png;
    private final Uploads uploads;
    private final ThreatAttacks threats;
    private final GeneratedAttack generated;
    @Inject
    Quotas quotas;

    public AttackResource(ModelRegistry registry, ForgerConfig config, AttackService attacks, EncodingPool encoding,
                          PngWriter png, Uploads uploads, ThreatAttacks threats, GeneratedAttack generated) {
        this.registry = registry;
        this.config = config;
        this.attacks = attacks;
        this.encoding = encoding;
        this.png = png;
        this.uploads = uploads;
        this.threats = threats;
        this.generated = generated;
    }

    static final String SPACE_DOC = "pixel (default): perturb the image; latent: perturb the latent z the generator"
            + " draws it from (on-manifold: every candidate is a generated digit; JSON bodies of latents only)";

    @POST
    @Blocking
    @Consumes({UploadSpec.PNG, UploadSpec.JPEG, UploadSpec.GIF, UploadSpec.BMP, UploadSpec.NPY,
            MediaType.APPLICATION_OCTET_STREAM})
    @Produces({MediaType.APPLICATION_JSON, "application/x-npy", "image/png", Problem.MEDIA_TYPE})
    @Operation(summary = "Attack one image or an .npy batch",
            description = "Perturbs the images so that the discriminator's verdict reaches the goal, within epsilon"
                    + " (pixel units of [0, 1]) for the bounded attacks. One batched model call per step."
                    + " `curl --data-binary @digit.png -H 'Content-Type: image/png' -H 'Accept: image/png'"
                    + " -o adversarial.png '.../api/v1/attack?method=pgd&epsilon=0.0314&goal=fake'`")
    @RequestBody(required = true, content = {
            @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/gif", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/bmp", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/x-npy", schema = @Schema(type = SchemaType.STRING, format = "binary",
                    description = "numpy.save output: float32 [N,C,H,W] in [-1,1] or uint8 [N,H,W(,C)]"))})
    @APIResponse(responseCode = "200", description = "Per image: verdicts before and after, success, norms, calls",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AttackResponse.class)),
                    @Content(mediaType = "application/x-npy"), @Content(mediaType = "image/png")})
    @APIResponse(responseCode = "400", description = "A parameter is out of range, or the image is corrupt",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body, image or image count over the limits",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Wrong image size (without resize), NaN/Inf or out-of-range values",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Too many attacks waiting; retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> attackBody(
            byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @BeanParam AttackQuery query,
            @BeanParam UploadAttackQuery upload) {
        LoadedModel loaded = registry.get(upload.model);
        AttackFormat answer = upload.answer(accept);
        upload.requirePixelSpace();
        return uploads.body(body, contentType, spec(loaded, upload.resizeMode()))
                .thenCompose(images -> attack(loaded, images, query, answer));
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, "application/x-npy", "image/png", Problem.MEDIA_TYPE})
    @Operation(summary = "Attack generated digits, in latent or pixel space",
            description = "The body names latents: explicit ({\"latents\": [[...], ...]}) or drawn as /generate draws"
                    + " them ({\"count\": 8, \"seed\": 7}). space=latent perturbs z within an L∞ or L2 ball of"
                    + " radius epsilon (δ, latent units; clipped to a uniform latent's support) with fgsm, fgm, bim,"
                    + " pgd, mifgsm, apgd or bisection (the smallest δ); space=pixel attacks the generated images."
                    + " Goals: fake, real, flip, or with a classifier in the bundle class:k and class-change, with"
                    + " realism=λ keeping the discriminator's verdict real. The answer holds both latents, both"
                    + " images, their pixel distance and the classifier's and discriminator's verdicts."
                    + " `curl -H 'Content-Type: application/json' -d '{\"count\": 4, \"seed\": 7}'"
                    + " '.../api/v1/attack?space=latent&method=pgd&epsilon=0.1'`")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LatentAttackRequest.class)))
    @APIResponse(responseCode = "200", description = "Per latent: verdicts before and after, both latents and images",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = LatentAttackResponse.class)),
                    @Content(mediaType = "application/x-npy"), @Content(mediaType = "image/png")})
    @APIResponse(responseCode = "400", description = "A parameter or the body is invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A class goal on a bundle without a classifier, or latents"
            + " outside the latent distribution's support",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Too many attacks waiting; retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> attackLatents(
            byte[] body,
            @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @BeanParam AttackQuery query,
            @Parameter(description = "Model name; the default when absent", example = "mnist-dcgan")
            @QueryParam("model") String model,
            @Parameter(description = FORMAT_DOC, schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"json", "npy", "png", "figure"}))
            @QueryParam("format") String format,
            @Parameter(description = SPACE_DOC, schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"pixel", "latent"}, defaultValue = "pixel"))
            @QueryParam("space") String space) {
        LoadedModel loaded = registry.get(model);
        return generated.attack(loaded, body, query, space, AttackFormat.choose(format, accept));
    }

    @POST
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces({MediaType.APPLICATION_JSON, "application/x-npy", "image/png", Problem.MEDIA_TYPE})
    @Operation(summary = "Attack several images (multipart)",
            description = "One or more parts named `image`, each a PNG, JPEG, GIF, BMP or .npy file; the attack's parameters"
                    + " in the query. `curl -F image=@a.png -F image=@b.png '.../api/v1/attack?method=fgsm'`")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = MultipartImagesForm.class)))
    @APIResponse(responseCode = "200", description = "One result per image, in part order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AttackResponse.class)))
    @APIResponse(responseCode = "4XX", description = "See the raw-body variant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> attackMultipart(
            @RestForm("image") List<FileUpload> parts,
            @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @BeanParam AttackQuery query,
            @BeanParam UploadAttackQuery upload) {
        LoadedModel loaded = registry.get(upload.model);
        AttackFormat answer = upload.answer(accept);
        upload.requirePixelSpace();
        return uploads.parts(parts, spec(loaded, upload.resizeMode()))
                .thenCompose(images -> attack(loaded, images, query, answer));
    }

    private UploadSpec spec(LoadedModel model, ResizeMode resize) {
        return new UploadSpec(ENDPOINT, UploadSpec.IMAGES_OR_NPY, model.imageShape(), resize,
                config.limits().maxImagesPerRequest(), "Send one image file, an .npy batch, or several images as"
                + " multipart/form-data parts named image (curl -F image=@a.png -F image=@b.png).");
    }

    private CompletionStage<Response> attack(LoadedModel model, UploadedImages images, AttackQuery query,
                                             AttackFormat format) {
        int count = images.count();
        if (format == AttackFormat.PNG && count != 1) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "format", "a PNG answer holds one image but "
                    + count + " were sent; ask for json, npy or figure");
        }
        AttackRequest request = query.toRequest(format != AttackFormat.NPY, true);
        if (Boolean.FALSE.equals(request.quantize()) && format != AttackFormat.NPY) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "quantize", "quantize=false keeps float pixels,"
                    + " which only npy carries; add format=npy (or Accept: application/x-npy), or drop quantize");
        }
        float[] originals = images.packed();
        long start = System.nanoTime();
        if (query.hasClassGoal()) {
            Threat threat = GeneratedAttack.threat(model, query, false);
            ResolvedAttack attack = threats.resolve(model, request, threat);
            quotas.charge(Quota.ATTACK_IMAGE_STEPS, Quotas.imageSteps(attack, count));
            return threats.submit(model, attack, threat, originals, count).thenApplyAsync(outcome -> AttackRendering.of(
                    model, attack, outcome, (System.nanoTime() - start) / 1_000_000, png,
                    GeneratedAttack.echo(attack, threat)).render(format), encoding);
        }
        ResolvedAttack attack = attacks.resolve(model, request);
        quotas.charge(Quota.ATTACK_IMAGE_STEPS, Quotas.imageSteps(attack, count));
        return attacks.submit(model, attack, originals, count).thenApplyAsync(outcome -> new AttackRendering(
                model, attack, outcome, (System.nanoTime() - start) / 1_000_000, png).render(format),
                encoding);
    }

    /** Documentation only: the multipart form of /attack, whose other parameters are all in the query. */
    @Schema(name = "MultipartImagesForm")
    static class MultipartImagesForm {
        @Schema(description = "One or more image files (PNG, JPEG, GIF, BMP or .npy), all in one field named image",
                type = SchemaType.ARRAY, implementation = String.class, format = "binary")
        public List<String> image;
    }
}
