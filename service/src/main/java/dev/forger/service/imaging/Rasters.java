package dev.forger.service.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** Model-space images to 8-bit {@link BufferedImage}s, writing the pixel arrays directly. */
public final class Rasters {
    private Rasters() {}

    /** One image ({@code shape.size()} floats from {@code offset}) as grey or 3-byte BGR. */
    public static BufferedImage toImage(float[] data, int offset, ImageShape shape) {
        int h = shape.height();
        int w = shape.width();
        int plane = h * w;
        if (shape.channels() == 1) {
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < plane; i++) {
                pixels[i] = (byte) Pixels.toPixel(data[offset + i]);
            }
            return image;
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < plane; i++) {
            bgr[3 * i] = (byte) Pixels.toPixel(data[offset + 2 * plane + i]);
            bgr[3 * i + 1] = (byte) Pixels.toPixel(data[offset + plane + i]);
            bgr[3 * i + 2] = (byte) Pixels.toPixel(data[offset + i]);
        }
        return image;
    }

    public static BufferedImage toImage(ImageBatch batch, int index) {
        return toImage(batch.data(), index * batch.shape().size(), batch.shape());
    }
}
