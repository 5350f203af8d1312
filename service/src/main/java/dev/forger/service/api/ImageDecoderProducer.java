package dev.forger.service.api;

import dev.forger.service.config.ForgerConfig;
import dev.forger.service.imaging.ImageDecoder;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one image decoder of the service, with the configured limit on the sides an image may declare. */
public class ImageDecoderProducer {
    @Produces
    @Singleton
    ImageDecoder imageDecoder(ForgerConfig config) {
        return new ImageDecoder(config.limits().maxImageSide());
    }
}
