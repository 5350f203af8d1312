package dev.forger.trainer.report;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Turns float images (NCHW in [-1, 1], the system's layout) into pictures: one image, or a mosaic
 * of many, as the sample grids a run writes after each epoch.
 *
 * <p>Pixels map back to 8 bits with {@code round((x + 1) * 127.5)} clamped to 0..255, the inverse
 * of the loaders' {@code x = pixel / 127.5 - 1}, so a real image survives the round trip exactly.
 * Samples are set on the raster, not through {@code setRGB}: Java's grey images use a linear colour
 * space and {@code setRGB} would gamma-convert the values.
 */
public final class ImageGrid {

    /** Pixels between neighbouring tiles. */
    public static final int GAP = 2;
    /**
     * The colour of the gaps and of unused cells: mid grey, because MNIST tiles are black-backed
     * (a black gap would vanish) and many SVHN tiles are light (a white one would too).
     */
    public static final int GAP_LEVEL = 128;

    static {
        // ImageIO's disk cache doubles the cost of encoding a small PNG and buys nothing here
        ImageIO.setUseCache(false);
    }

    private ImageGrid() {
    }

    /**
     * One image to a {@code TYPE_BYTE_GRAY} (1 channel) or {@code TYPE_INT_RGB} (3 channels) picture;
     * the R, G and B samples come from the image's planes 0, 1 and 2.
     */
    public static BufferedImage image(float[] nchw, int index, int channels, int height, int width) {
        if (index < 0) {
            throw new IllegalArgumentException("image index must not be negative, got " + index);
        }
        check(nchw, index + 1, channels, height, width);
        BufferedImage picture = blank(channels, height, width);
        paint(nchw, index, channels, height, width, picture.getRaster(), 0, 0);
        return picture;
    }

    /**
     * Tiles the first {@code count} images into a near-square mosaic: {@code ceil(sqrt(count))}
     * columns, as many rows as needed, {@value #GAP} px of grey between tiles and none around them.
     */
    public static BufferedImage mosaic(float[] nchw, int count, int channels, int height, int width) {
        check(nchw, count, channels, height, width);
        if (count < 1) {
            throw new IllegalArgumentException("a mosaic needs at least one image, got count " + count);
        }
        int columns = (int) Math.ceil(Math.sqrt(count));
        int rows = (count + columns - 1) / columns;
        BufferedImage picture = blank(channels, rows * height + (rows - 1) * GAP, columns * width + (columns - 1) * GAP);
        WritableRaster raster = picture.getRaster();
        int[] gap = new int[raster.getWidth() * raster.getHeight()];
        Arrays.fill(gap, GAP_LEVEL);
        for (int band = 0; band < channels; band++) {
            raster.setSamples(0, 0, raster.getWidth(), raster.getHeight(), band, gap);
        }
        for (int i = 0; i < count; i++) {
            int left = (i % columns) * (width + GAP);
            int top = (i / columns) * (height + GAP);
            paint(nchw, i, channels, height, width, raster, left, top);
        }
        return picture;
    }

    /** Writes {@link #mosaic} of the images as a PNG, replacing {@code file} atomically. */
    public static void writePng(float[] nchw, int count, int channels, int height, int width, Path file)
            throws IOException {
        writePng(mosaic(nchw, count, channels, height, width), file);
    }

    /** Writes any picture as a PNG, replacing {@code file} atomically. */
    public static void writePng(BufferedImage picture, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(picture, "png", out)) {
                throw new IOException(file + ": no PNG writer for image type " + picture.getType());
            }
        });
    }

    /** The 8-bit level of one model-space value. */
    static int level(float x) {
        long v = Math.round((x + 1.0) * 127.5);
        return (int) Math.max(0, Math.min(255, v));
    }

    private static BufferedImage blank(int channels, int height, int width) {
        return new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    }

    private static void paint(float[] nchw, int index, int channels, int height, int width,
                              WritableRaster raster, int left, int top) {
        int plane = height * width;
        int[] samples = new int[plane];
        for (int c = 0; c < channels; c++) {
            int base = (index * channels + c) * plane;
            for (int p = 0; p < plane; p++) {
                // NaN (a diverged generator) rounds to 0 and shows as black rather than failing the run
                samples[p] = level(nchw[base + p]);
            }
            raster.setSamples(left, top, width, height, c, samples);
        }
    }

    private static void check(float[] nchw, int count, int channels, int height, int width) {
        if (nchw == null) {
            throw new IllegalArgumentException("image data is null");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB), got " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        long needed = (long) count * channels * height * width;
        if (nchw.length < needed) {
            throw new IllegalArgumentException("image data holds " + nchw.length + " floats, but " + count
                    + " images of " + channels + "x" + height + "x" + width + " need " + needed);
        }
    }
}
