package dev.forger.service.imaging;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** PNG through the JDK's ImageIO; kept as the baseline the faster writer is measured against. */
public final class ImageIoPngWriter implements PngWriter {
    static {
        // ImageIO's disk cache doubles the encoding cost of small images (DESIGN.md, measured)
        ImageIO.setUseCache(false);
    }

    @Override
    public byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("ImageIO has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding to memory failed", e);
        }
        return out.toByteArray();
    }

    @Override
    public String name() {
        return "imageio";
    }
}
