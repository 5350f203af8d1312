package dev.forger.service.api;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.ModelRegistry;
import dev.forger.service.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/models}. */
@RolesAllowed(Roles.READER)
@Path("/api/v1/models")
@Tag(name = "models", description = "The model bundles being served")
public class ModelsResource {
    private final ModelRegistry registry;

    public ModelsResource(ModelRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List the models",
            description = "Name, image shape, latent distribution, training summary and metrics of every bundle"
                    + " being served, its classifier and which attacks its networks allow (latent space, class goals),"
                    + " and the bundles that were refused with the reason.")
    public ModelsResponse list() {
        List<ModelsResponse.Model> models = registry.all().stream().map(ModelsResource::summary).toList();
        List<ModelsResponse.Refused> refused = registry.refusals().stream()
                .map(r -> new ModelsResponse.Refused(r.source(), r.reason())).toList();
        return new ModelsResponse(registry.defaultModelName(), models, refused);
    }

    private static ModelsResponse.Model summary(LoadedModel model) {
        BundleManifest m = model.manifest();
        ModelsResponse.Classifier classifier = model.hasClassifier()
                ? new ModelsResponse.Classifier(model.classNames(), m.classifier().heldOutAccuracy()) : null;
        ModelsResponse.Threats threats = new ModelsResponse.Threats(model.latentAttackModel().isPresent(),
                model.classifierNetworks(false).isPresent(), model.latentUnavailable(), model.classGoalsUnavailable());
        return new ModelsResponse.Model(m.name(), m.version(), m.description(), m.image(), m.latent(), m.training(),
                m.metrics(), m.discriminatorGradient() != null, model.gradientSource(), files(m), classifier, threats);
    }

    private static List<ModelsResponse.File> files(BundleManifest m) {
        List<ModelsResponse.File> files = new java.util.ArrayList<>();
        if (m.generator() != null) {
            files.add(new ModelsResponse.File("generator", m.generator().file(), m.generator().sha256()));
        }
        if (m.discriminator() != null) {
            files.add(new ModelsResponse.File("discriminator", m.discriminator().file(), m.discriminator().sha256()));
        }
        if (m.discriminatorGradient() != null) {
            files.add(new ModelsResponse.File("discriminatorGradient", m.discriminatorGradient().file(),
                    m.discriminatorGradient().sha256()));
        }
        if (m.classifier() != null) {
            files.add(new ModelsResponse.File("classifier", m.classifier().file(), m.classifier().sha256()));
        }
        return files;
    }
}
