package dev.forger.service.imaging;

import java.awt.image.BufferedImage;

/** Encodes an 8-bit grey or BGR image as PNG bytes. Implementations are thread-safe. */
public interface PngWriter {
    byte[] encode(BufferedImage image);

    /** For logs and benchmarks. */
    String name();
}
