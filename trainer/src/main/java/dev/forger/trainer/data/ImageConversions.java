package dev.forger.trainer.data;

import java.util.stream.IntStream;

/** Brings an {@link ImageSet} to the channel count, size and length a {@link DatasetSpec} asks for. */
public final class ImageConversions {

    private ImageConversions() {
    }

    /** ITU-R BT.601 luma of an 8-bit RGB pixel, rounded to the nearest integer. */
    public static int luma(int r, int g, int b) {
        return Math.min(255, (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b));
    }

    /** Grey to RGB by replicating the channel; RGB to grey by BT.601 luma. Returns the set itself when it already fits. */
    public static ImageSet toChannels(ImageSet set, int channels) {
        if (set.channels() == channels) {
            return set;
        }
        int plane = set.height() * set.width();
        int n = set.size();
        byte[] src = set.pixels();
        byte[] out = new byte[n * channels * plane];
        if (channels == 3) {
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(src, i * plane, out, (i * 3 + c) * plane, plane);
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                int base = i * 3 * plane;
                for (int p = 0; p < plane; p++) {
                    out[i * plane + p] = (byte) luma(src[base + p] & 0xFF,
                            src[base + plane + p] & 0xFF, src[base + 2 * plane + p] & 0xFF);
                }
            }
        }
        return new ImageSet(set.source(), channels, set.height(), set.width(), out, set.labels());
    }

    /** Fits every image into {@code size x size} with {@link ImageResizer} (scale the shorter side, crop the centre). */
    public static ImageSet resize(ImageSet set, int size) {
        if (set.height() == size && set.width() == size) {
            return set;
        }
        int channels = set.channels();
        int plane = set.height() * set.width();
        int outPlane = size * size;
        byte[] src = set.pixels();
        byte[] out = new byte[set.size() * channels * outPlane];
        for (int i = 0; i < set.size(); i++) {
            int base = i * channels * plane;
            int[] rgb = new int[plane];
            for (int p = 0; p < plane; p++) {
                int r = src[base + p] & 0xFF;
                int g = channels == 3 ? src[base + plane + p] & 0xFF : r;
                int b = channels == 3 ? src[base + 2 * plane + p] & 0xFF : r;
                rgb[p] = r << 16 | g << 8 | b;
            }
            int[] fitted = ImageResizer.fitSquare(rgb, set.width(), set.height(), size);
            writePlanar(fitted, channels, out, i * channels * outPlane);
        }
        return new ImageSet(set.source(), channels, size, size, out, set.labels());
    }

    /** The first {@code limit} images, or the set itself when the limit is 0 or not smaller than the set. */
    public static ImageSet first(ImageSet set, int limit) {
        if (limit <= 0 || limit >= set.size()) {
            return set;
        }
        return set.subset(IntStream.range(0, limit).toArray());
    }

    /**
     * Writes packed 0xRRGGBB pixels as CHW planes into {@code out} at {@code offset}: three planes, or for
     * one channel the red plane (callers pass grey pixels with r = g = b).
     */
    static void writePlanar(int[] rgb, int channels, byte[] out, int offset) {
        int plane = rgb.length;
        for (int p = 0; p < plane; p++) {
            int v = rgb[p];
            out[offset + p] = (byte) (v >> 16);
            if (channels == 3) {
                out[offset + plane + p] = (byte) (v >> 8);
                out[offset + 2 * plane + p] = (byte) v;
            }
        }
    }
}
