package dev.forger.service.imaging;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an uploaded PNG/JPEG (also GIF, BMP) into model space, 1 channel for grey images and 3
 * for colour ones, with alpha composited over black (the background of the digits the models
 * learn). The declared size is read from the header and checked before any pixel is decoded, so
 * a small file that unpacks to gigabytes (a decompression bomb) is refused cheaply.
 *
 * <p>Common PNGs (8-bit, not interlaced) take {@link PngFastPath}; everything else goes through ImageIO.
 *
 * <p>Grey images are read from the raster, not through {@code getRGB}: Java2D treats grey as
 * linear and would shift every value on its way to sRGB.
 */
public final class ImageDecoder {
    /** Formats accepted; ImageIO's WBMP reader claims almost any bytes, so it is not among them. */
    private static final Set<String> FORMATS = Set.of("png", "jpeg", "gif", "bmp");

    static {
        ImageIO.setUseCache(false);
    }

    private final int maxSide;

    /** @param maxSide the largest width or height an image may declare */
    public ImageDecoder(int maxSide) {
        this.maxSide = maxSide;
    }

    /**
     * @param field names the upload in error messages, e.g. {@code body} or {@code image[2]}
     * @return one image, in its own size and 1 or 3 channels
     */
    public ImageBatch decode(byte[] bytes, String field) {
        if (bytes.length == 0) {
            throw new ClientProblem(ProblemType.MISSING_BODY, field, field + " is empty: send the image bytes");
        }
        PngFastPath.Header png = PngFastPath.header(bytes);
        if (png != null) {
            checkDeclaredSize("PNG", png.width(), png.height(), field);
            ImageBatch decoded = PngFastPath.decode(bytes, png, field);
            if (decoded != null) {
                return decoded;
            }
        }
        return decodeWithImageIo(bytes, field);
    }

    /**
     * Pixels a PNG declares in its header, read without decoding anything; -1 when the bytes are no
     * PNG. Lets a caller judge the cost of {@link #decode} before choosing a thread for it.
     */
    public static long declaredPngPixels(byte[] bytes) {
        PngFastPath.Header png = PngFastPath.header(bytes);
        return png == null ? -1 : png.pixels();
    }

    /**
     * Whether {@code bytes} are a PNG of at most {@code maxPixels} pixels in a format decoded without
     * ImageIO (8-bit, not interlaced, grey or RGB with or without alpha): one that decodes in microseconds.
     */
    public static boolean isSmallPlainPng(byte[] bytes, long maxPixels) {
        PngFastPath.Header png = PngFastPath.header(bytes);
        return png != null && png.decodedHere() && png.pixels() <= maxPixels;
    }

    /** The general path: every format and PNG variant ImageIO reads. */
    ImageBatch decodeWithImageIo(byte[] bytes, String field) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(in, bytes, field);
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toUpperCase(Locale.ROOT);
                int width;
                int height;
                try {
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw corrupt(field, format, e);
                }
                checkDeclaredSize(format, width, height, field);
                BufferedImage image;
                try {
                    image = reader.read(0);
                } catch (IOException | RuntimeException e) {
                    throw corrupt(field, format, e);
                }
                return toModelSpace(image);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw corrupt(field, "image", e);
        }
    }

    private void checkDeclaredSize(String format, long width, long height, String field) {
        if (width > maxSide || height > maxSide || width < 1 || height < 1) {
            throw new ClientProblem(ProblemType.IMAGE_TOO_LARGE, field, field + ": the " + format
                    + " header declares " + width + "x" + height + " pixels; the limit is " + maxSide
                    + " per side. Scale the image down before uploading.");
        }
    }

    private static ImageReader readerFor(ImageInputStream in, byte[] bytes, String field) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            try {
                if (FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
                    return reader;
                }
            } catch (IOException e) {
                // a reader that cannot even name its format is no candidate
            }
            reader.dispose();
        }
        throw new ClientProblem(ProblemType.NOT_AN_IMAGE, field, field + " is not a PNG, JPEG, GIF or BMP image"
                + " (it starts with " + leadingBytes(bytes) + "). Send an image, or .npy data as application/x-npy.");
    }

    private static ClientProblem corrupt(String field, String format, Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ClientProblem(ProblemType.CORRUPT_IMAGE, field, field + ": the " + format
                + " data is corrupt or truncated (" + why + "). Re-export the image and upload it whole.");
    }

    private static String leadingBytes(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            hex.append(String.format("%02x", bytes[i] & 0xff));
        }
        return "0x" + hex;
    }

    static ImageBatch toModelSpace(BufferedImage image) {
        ColorModel model = image.getColorModel();
        boolean grey = model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(model instanceof IndexColorModel);
        return grey ? fromGrey(image) : fromRgb(image);
    }

    private static ImageBatch fromGrey(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        ColorModel model = image.getColorModel();
        boolean alpha = model.hasAlpha() && raster.getNumBands() > 1;
        double greyMax = (1 << model.getComponentSize(0)) - 1;
        double alphaMax = alpha ? (1 << model.getComponentSize(1)) - 1 : 1;
        int[] greySamples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
        int[] alphaSamples = alpha ? raster.getSamples(0, 0, w, h, 1, (int[]) null) : null;
        float[] data = new float[w * h];
        for (int i = 0; i < data.length; i++) {
            double v = greySamples[i] * 255.0 / greyMax;
            if (alpha) {
                v = v * alphaSamples[i] / alphaMax;
            }
            data[i] = Pixels.toModel((int) Math.round(v));
        }
        return new ImageBatch(new ImageShape(1, h, w), 1, data);
    }

    private static ImageBatch fromRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        int plane = w * h;
        float[] data = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            int a = p >>> 24;
            data[i] = Pixels.toModel(overBlack((p >> 16) & 0xff, a));
            data[plane + i] = Pixels.toModel(overBlack((p >> 8) & 0xff, a));
            data[2 * plane + i] = Pixels.toModel(overBlack(p & 0xff, a));
        }
        return new ImageBatch(new ImageShape(3, h, w), 1, data);
    }

    static int overBlack(int value, int alpha) {
        return alpha == 255 ? value : Math.round(value * alpha / 255f);
    }
}
