package dev.forger.service.api;

import dev.forger.service.imaging.EncodingPool;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.metrics.GenerationMetrics;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.security.Quota;
import dev.forger.service.security.Quotas;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Generates the images of explicit latents for the latent-space endpoints and renders them on the encoding
 * pool, counting them (all images in forger_images_generated_total; delivered ones by format and path).
 */
@ApplicationScoped
class LatentImages {
    private final ForgerMetrics metrics;
    private final GenerationMetrics generationMetrics;
    private final EncodingPool encoding;
    @Inject
    Quotas quotas;

    LatentImages(ForgerMetrics metrics, GenerationMetrics generationMetrics, EncodingPool encoding) {
        this.metrics = metrics;
        this.generationMetrics = generationMetrics;
        this.encoding = encoding;
    }

    <T> CompletionStage<T> render(LoadedModel model, float[] z, String format, String path,
                                  Function<ImageBatch, T> renderer) {
        int count = z.length / model.latentDim();
        quotas.charge(Quota.GENERATED_IMAGES, count);
        return model.generate(z, count).thenApplyAsync(images -> {
            metrics.imagesGenerated(model.name(), count);
            generationMetrics.delivered(model.name(), format, path, count);
            return renderer.apply(new ImageBatch(model.imageShape(), count, images));
        }, encoding);
    }
}
