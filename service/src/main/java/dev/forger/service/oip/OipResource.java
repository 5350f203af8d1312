package dev.forger.service.oip;

import dev.forger.service.imaging.EncodingPool;
import dev.forger.service.security.AccessProblems;
import dev.forger.service.security.Quotas;
import dev.forger.service.security.Roles;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The protocol's REST endpoints under {@code /v2}: server and model metadata, health, and inference with
 * JSON or binary tensors. Errors are the protocol's {@code {"error": "..."}} ({@link OipErrors}).
 *
 * <p>Threads, as for {@code /api/v1/score}: a small body (a discriminator batch of a few images, a
 * generator batch in binary) is parsed on the event loop, and a small answer is written there; large
 * JSON bodies and answers are handled on the {@link EncodingPool}; the networks run on their batcher.
 */
@RolesAllowed(Roles.READER)
@Path("/v2")
@Tag(name = "open inference protocol", description = "KServe v2 / Triton-compatible inference (REST; gRPC on the same port)")
@Produces(MediaType.APPLICATION_JSON)
public class OipResource {
    /** Bodies up to this size are parsed on the event loop: a few microseconds of work. */
    static final int INLINE_BODY_BYTES = 32 * 1024;
    /** Answers of up to this many floats are written on the event loop. */
    static final int INLINE_OUTPUT_FLOATS = 8 * 1024;

    private final OipModels models;
    private final OipInference inference;
    private final OipServer server;
    private final EncodingPool encoding;
    private final OipErrors errors;
    @Inject
    AccessProblems access;
    @Inject
    Quotas quotas;

    public OipResource(OipModels models, OipInference inference, OipServer server, EncodingPool encoding,
                       OipErrors errors) {
        this.models = models;
        this.inference = inference;
        this.server = server;
        this.encoding = encoding;
        this.errors = errors;
    }

    /**
     * Every failure of these endpoints, in the protocol's form (this class only: /api/v1 keeps problem+json); a
     * 401/403 is problem+json naming the role, as everywhere.
     */
    @ServerExceptionMapper
    public Uni<Response> error(Throwable e, ResourceInfo resource, Request request, UriInfo uri) {
        return AccessProblems.handles(e) ? access.toResponse(e, resource.getResourceMethod(),
                request.getMethod() + " " + uri.getPath()) : Uni.createFrom().item(errors.toResponse(e));
    }

    @GET
    @NonBlocking
    @Operation(summary = "Server metadata: name, version, extensions")
    public OipJson.ServerMetadata serverMetadata() {
        return new OipJson.ServerMetadata(server.name(), server.version(), server.extensions());
    }

    @GET
    @Path("/health/live")
    @PermitAll // probes (KServe's among them) carry no credentials
    @NonBlocking
    @Operation(summary = "Server live")
    public OipJson.ServerLive live() {
        return new OipJson.ServerLive(true);
    }

    @GET
    @Path("/health/ready")
    @PermitAll
    @NonBlocking
    @Operation(summary = "Server ready: 200 once the default model is loaded, 503 before")
    public Response ready() {
        boolean ready = models.serverReady();
        return Response.status(ready ? 200 : 503).entity(new OipJson.ServerReady(ready)).build();
    }

    @GET
    @Path("/models/{name}")
    @NonBlocking
    @Operation(summary = "Model metadata: versions, platform, input and output tensors")
    public OipJson.ModelMetadata modelMetadata(@PathParam("name") String name) {
        return OipJson.ModelMetadata.of(models.get(name, null));
    }

    @GET
    @Path("/models/{name}/versions/{version}")
    @NonBlocking
    @Operation(summary = "Model metadata of one version")
    public OipJson.ModelMetadata modelMetadata(@PathParam("name") String name, @PathParam("version") String version) {
        return OipJson.ModelMetadata.of(models.get(name, version));
    }

    @GET
    @Path("/models/{name}/ready")
    @NonBlocking
    @Operation(summary = "Model ready (404 for a model that is not served)")
    public OipJson.ModelReady modelReady(@PathParam("name") String name) {
        return new OipJson.ModelReady(models.get(name, null).name(), true);
    }

    @GET
    @Path("/models/{name}/versions/{version}/ready")
    @NonBlocking
    @Operation(summary = "Model ready, one version")
    public OipJson.ModelReady modelReady(@PathParam("name") String name, @PathParam("version") String version) {
        return new OipJson.ModelReady(models.get(name, version).name(), true);
    }

    @POST
    @Path("/models/{name}/infer")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Inference, JSON or binary tensors",
            description = "A JSON inference request; with the binary tensor data extension the JSON is followed by"
                    + " the tensors' bytes and Inference-Header-Content-Length gives the JSON's length.")
    public CompletionStage<Response> infer(@PathParam("name") String name,
                                           @HeaderParam(RestResponseWriter.HEADER_LENGTH) String headerLength,
                                           byte[] body) {
        return infer(models.get(name, null), headerLength, body);
    }

    @POST
    @Path("/models/{name}/versions/{version}/infer")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Inference on one version")
    public CompletionStage<Response> infer(@PathParam("name") String name, @PathParam("version") String version,
                                           @HeaderParam(RestResponseWriter.HEADER_LENGTH) String headerLength,
                                           byte[] body) {
        return infer(models.get(name, version), headerLength, body);
    }

    private CompletionStage<Response> infer(OipModel model, String headerLength, byte[] body) {
        Context context = Vertx.currentContext();
        Quotas.Caller caller = quotas.caller(); // here: a large body is read on the pool, away from the identity
        if (body == null || body.length <= INLINE_BODY_BYTES) {
            return run(model, RestRequestReader.read(body, headerLength), context, caller);
        }
        return CompletableFuture.supplyAsync(() -> RestRequestReader.read(body, headerLength), encoding)
                .thenCompose(request -> run(model, request, context, caller));
    }

    /** Queues the request and writes the answer on the request's event loop when small, else on the pool. */
    private CompletionStage<Response> run(OipModel model, InferRequest request, Context context,
                                          Quotas.Caller caller) {
        CompletableFuture<Response> reply = new CompletableFuture<>();
        inference.infer(model, request, caller).whenComplete((result, error) -> {
            Runnable answer = () -> {
                if (error != null) {
                    reply.completeExceptionally(error);
                    return;
                }
                try {
                    reply.complete(RestResponseWriter.write(result));
                } catch (RuntimeException e) {
                    reply.completeExceptionally(e);
                }
            };
            boolean small = result == null
                    || result.outputs().stream().mapToLong(o -> o.data().length).sum() <= INLINE_OUTPUT_FLOATS;
            if (small && context != null) {
                context.runOnContext(ignored -> answer.run());
            } else {
                encoding.execute(answer); // never on the batcher thread: it would idle the network
            }
        });
        return reply;
    }
}
