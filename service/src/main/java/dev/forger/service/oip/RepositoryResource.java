package dev.forger.service.oip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forger.service.security.AccessProblems;
import dev.forger.service.security.Roles;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Triton's model repository extension: {@code POST /v2/repository/index}, {@code .../models/{name}/load}
 * and {@code .../unload}, over the bundles of {@code forger.models.dir} ({@link ModelRepository}). Load and
 * unload answer 200 with an empty body; failures are the protocol's {@code {"error": "..."}}. Loading blocks
 * a worker thread for the bundle's validation and warm-up inference.
 */
@RolesAllowed(Roles.OPERATOR)
@Path("/v2/repository")
@Tag(name = "open inference protocol", description = "KServe v2 / Triton-compatible inference (REST; gRPC on the same port)")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Blocking
public class RepositoryResource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelRepository repository;
    private final OipErrors errors;
    @Inject
    AccessProblems access;

    public RepositoryResource(ModelRepository repository, OipErrors errors) {
        this.repository = repository;
        this.errors = errors;
    }

    @ServerExceptionMapper
    public Uni<Response> error(Throwable e, ResourceInfo resource, Request request, UriInfo uri) {
        return AccessProblems.handles(e) ? access.toResponse(e, resource.getResourceMethod(),
                request.getMethod() + " " + uri.getPath()) : Uni.createFrom().item(errors.toResponse(e));
    }

    @POST
    @Path("/index")
    @Operation(summary = "The models of forger.models.dir, served or not (model repository extension)")
    public List<ModelRepository.Entry> index(byte[] body) {
        JsonNode request = object(body);
        JsonNode ready = request.path("ready");
        if (!ready.isMissingNode() && !ready.isBoolean()) {
            throw OipException.badRequest("'ready' must be true or false");
        }
        return repository.index(ready.asBoolean(false));
    }

    @POST
    @Path("/models/{name}/load")
    @Operation(summary = "Load or reload a bundle of forger.models.dir (both of its models)")
    public Response load(@PathParam("name") String name, byte[] body) {
        object(body); // parameters (Triton's "config") are not used: a bundle's manifest is its configuration
        repository.load(name);
        return Response.ok().build();
    }

    @POST
    @Path("/models/{name}/unload")
    @Operation(summary = "Stop serving a bundle (both of its models); not the default one")
    public Response unload(@PathParam("name") String name, byte[] body) {
        object(body);
        repository.unload(name);
        return Response.ok().build();
    }

    /** The optional request object: an empty body is an empty object. */
    private static JsonNode object(byte[] body) {
        if (body == null || body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                return JSON.createObjectNode();
            }
            if (!node.isObject()) {
                throw OipException.badRequest("the request body must be a JSON object (or empty)");
            }
            return node;
        } catch (IOException e) {
            throw OipException.badRequest("the request is not valid JSON: " + e.getMessage());
        }
    }
}
