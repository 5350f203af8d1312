package dev.forger.service.oip;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What the server says about itself in the protocol's server metadata. */
@ApplicationScoped
public class OipServer {
    public static final String NAME = "forger";
    /** The binary tensor data extension (REST). */
    public static final String BINARY_EXTENSION = "binary_tensor_data";
    /** The model repository extension; listed only when it is enabled. */
    public static final String REPOSITORY_EXTENSION = "model_repository";

    private final String version;
    private final OipConfig config;

    public OipServer(@ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version,
                     OipConfig config) {
        this.version = version;
        this.config = config;
    }

    public String name() {
        return NAME;
    }

    public String version() {
        return version;
    }

    public List<String> extensions() {
        List<String> extensions = new ArrayList<>(List.of(BINARY_EXTENSION));
        if (config.repository().enabled()) {
            extensions.add(REPOSITORY_EXTENSION);
        }
        return extensions;
    }
}
