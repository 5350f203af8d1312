package dev.forger.trainer.data;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Fits an image of any shape into a square: scale (keeping the aspect ratio) until the shorter side
 * equals the target, then crop the centre.
 *
 * <p>Shrinking uses Java2D's area-averaging filter, which averages every source pixel into the
 * target pixel it falls on; a single bicubic or bilinear step would sample only a few source pixels
 * and alias when a large photo shrinks to 32 pixels. Enlarging uses bicubic interpolation.
 * Works on packed {@code 0xRRGGBB} sRGB pixels so that no colour-space conversion touches them.
 */
final class ImageResizer {

    private ImageResizer() {
    }

    /**
     * @param rgb  packed 0xRRGGBB pixels, row-major, {@code width*height} of them
     * @param size side of the square result
     * @return packed 0xRRGGBB pixels, {@code size*size}, row-major
     */
    static int[] fitSquare(int[] rgb, int width, int height, int size) {
        if (width == size && height == size) {
            return rgb.clone();
        }
        double scale = (double) size / Math.min(width, height);
        // the shorter side becomes exactly `size`; the longer one at least `size`
        int scaledW = width <= height ? size : Math.max(size, (int) Math.round(width * scale));
        int scaledH = width <= height ? Math.max(size, (int) Math.round(height * scale)) : size;

        BufferedImage source = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        source.setRGB(0, 0, width, height, rgb, 0, width);
        BufferedImage scaled = scale < 1.0
                ? shrink(source, scaledW, scaledH)
                : enlarge(source, scaledW, scaledH);

        int left = (scaledW - size) / 2;
        int top = (scaledH - size) / 2;
        int[] out = new int[size * size];
        scaled.getRGB(left, top, size, size, out, 0, size);
        for (int i = 0; i < out.length; i++) {
            out[i] &= 0xFFFFFF;
        }
        return out;
    }

    private static BufferedImage shrink(BufferedImage source, int w, int h) {
        if (source.getWidth() == w && source.getHeight() == h) {
            return source;
        }
        Image averaged = source.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            // the filtered source of an in-memory image produces synchronously, so no observer is needed
            g.drawImage(averaged, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage enlarge(BufferedImage source, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
