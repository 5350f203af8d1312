package dev.forger.service.imaging;

/**
 * Entry names of generated-image archives: {@code <prefix>-<index>.png} with the sample's index in the
 * whole sequence, zero-padded to 8 digits, so that the shards of a large job unpack side by side into
 * one folder and sort in sample order (up to 100 million samples; longer indices keep all their digits).
 */
public final class ArchiveNames {
    private ArchiveNames() {}

    public static String png(String prefix, long index) {
        return String.format("%s-%08d.png", prefix, index);
    }
}
