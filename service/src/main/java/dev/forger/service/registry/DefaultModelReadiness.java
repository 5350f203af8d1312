package dev.forger.service.registry;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once the default model is loaded and has answered its warm-up inference. Bundles that were
 * refused do not make the service unready (the others serve), but show in the check's data: how many, and
 * each one's source and reason.
 */
@Readiness
@ApplicationScoped
public class DefaultModelReadiness implements HealthCheck {
    private final ModelRegistry registry;

    public DefaultModelReadiness(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("default-model")
                .withData("model", registry.defaultModelName())
                .withData("loaded", registry.all().size())
                .withData("refused", registry.refusals().size());
        for (ModelRegistry.Refusal refusal : registry.refusals()) {
            response.withData("refused: " + refusal.source(), refusal.reason());
        }
        if (registry.defaultReady()) {
            return response.up().build();
        }
        return response.down().withData("reason", registry.notReadyReason()).build();
    }
}
