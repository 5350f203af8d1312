package dev.forger.service.api;

import dev.forger.service.imaging.FastPngWriter;
import dev.forger.service.imaging.PngWriter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The PNG writer the service uses: the measured-faster one (see {@link FastPngWriter}). */
public class PngWriterProducer {
    @Produces
    @Singleton
    PngWriter pngWriter() {
        return new FastPngWriter();
    }
}
