package dev.forger.service.oip;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code forger.oip.*}: the Open Inference Protocol's settings (each also an environment variable). */
@ConfigMapping(prefix = "forger.oip")
public interface OipConfig {

    Repository repository();

    interface Repository {
        /**
         * Whether the model repository extension ({@code /v2/repository/...}) may load and unload bundles
         * of {@code forger.models.dir} at run time ({@code FORGER_OIP_REPOSITORY_ENABLED}). Off by
         * default: it changes what is served.
         */
        @WithDefault("false")
        boolean enabled();
    }
}
