package dev.forger.service.oip;

import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.ModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Protocol model names ↔ the registry's bundles. Asks the registry on every call, so bundles that the
 * model repository extension loads or unloads appear and disappear at once.
 */
@ApplicationScoped
public class OipModels {
    private final ModelRegistry registry;

    public OipModels(ModelRegistry registry) {
        this.registry = registry;
    }

    /** Every model served now, two per bundle, in the registry's order. */
    public List<OipModel> all() {
        List<OipModel> models = new ArrayList<>();
        for (LoadedModel bundle : registry.all()) {
            for (OipModel.Role role : OipModel.Role.values()) {
                models.add(new OipModel(bundle, role));
            }
        }
        return models;
    }

    /**
     * The model a request names, at {@code version} when one is given (null or empty: the one served).
     *
     * @throws OipException NOT_FOUND naming the models (or the version) there are
     */
    public OipModel get(String name, String version) {
        OipModel model = all().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new OipException(OipException.Kind.NOT_FOUND, "no model named '" + name
                        + "'; the models served are " + all().stream().map(OipModel::name).toList()
                        + " (each bundle as <bundle>-generator and <bundle>-discriminator)"));
        if (version != null && !version.isEmpty() && !version.equals(model.version())) {
            throw new OipException(OipException.Kind.NOT_FOUND, "model '" + name + "' has no version '" + version
                    + "'; it serves version '" + model.version() + "' (or leave the version out)");
        }
        return model;
    }

    /** Whether the model (and version, when given) is served: loading includes a warm-up inference. */
    public boolean ready(String name, String version) {
        try {
            get(name, version);
            return true;
        } catch (OipException e) {
            return false;
        }
    }

    /** Server readiness: the default bundle is loaded, as for /q/health/ready. */
    public boolean serverReady() {
        return registry.defaultReady();
    }
}
