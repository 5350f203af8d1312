package dev.forger.trainer.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * MNIST in its original IDX form: {@code train-images-idx3-ubyte} (magic 0x00000803, then N, rows,
 * cols as big-endian int32, then N·rows·cols unsigned bytes) and, when present beside it, the matching
 * {@code train-labels-idx1-ubyte} (magic 0x00000801, N, then N label bytes). Either may be gzipped
 * ({@code .gz}, recognised by its magic bytes, not the name).
 *
 * <p>{@code --data} names the images file or a directory; in a directory with several image files
 * the one whose name starts with "train" is taken (the training split), so a standard MNIST download
 * folder works as it is. Images keep the file's order and get a 2-pixel black border (28 → 32).
 * Without a labels file the labels are -1.
 */
public final class MnistIdxDataset {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private MnistIdxDataset() {
    }

    /** Whether {@code path} is an IDX images file or a directory holding one. */
    public static boolean recognises(Path path) {
        if (Files.isDirectory(path)) {
            return !imageFiles(path).isEmpty();
        }
        return isImagesName(path);
    }

    /** Reads the first {@code limit} images (all when 0) as 1 x (rows+4) x (cols+4) grey. */
    public static ImageSet read(Path path, int limit) {
        Path images = imagesFile(path);
        IdxImages idx = readImages(images, limit);
        Path labelsFile = labelsFileFor(images);
        int[] labels = labelsFile == null ? filled(idx.count, -1) : readLabels(labelsFile, idx.total, idx.count);

        int rows = MnistPadding.padded(idx.rows);
        int cols = MnistPadding.padded(idx.cols);
        byte[] padded = new byte[idx.count * rows * cols];
        for (int i = 0; i < idx.count; i++) {
            MnistPadding.copyPadded(idx.pixels, i * idx.rows * idx.cols, idx.rows, idx.cols, padded, i * rows * cols);
        }
        return new ImageSet("mnist-idx:" + images.getFileName(), 1, rows, cols, padded, labels);
    }

    private static Path imagesFile(Path path) {
        if (!Files.exists(path)) {
            throw new DatasetException(path, "not found; pass an IDX images file (train-images-idx3-ubyte[.gz]) or its folder");
        }
        if (!Files.isDirectory(path)) {
            return path;
        }
        List<Path> candidates = imageFiles(path);
        if (candidates.isEmpty()) {
            throw new DatasetException(path, "holds no *-images-idx3-ubyte[.gz] file");
        }
        return candidates.stream()
                .filter(p -> p.getFileName().toString().startsWith("train"))
                .findFirst()
                .orElseGet(() -> {
                    if (candidates.size() > 1) {
                        throw new DatasetException(path, "holds several IDX image files and none starts with 'train': "
                                + candidates.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", "))
                                + "; pass one of them with --data");
                    }
                    return candidates.get(0);
                });
    }

    private static List<Path> imageFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(MnistIdxDataset::isImagesName)
                    .sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new DatasetException(dir, "cannot be listed: " + e.getMessage(), e);
        }
    }

    private static boolean isImagesName(Path p) {
        String name = p.getFileName().toString();
        return name.contains("idx3-ubyte");
    }

    /** {@code x-images-idx3-ubyte[.gz]} → {@code x-labels-idx1-ubyte} or {@code .gz}, whichever exists. */
    private static Path labelsFileFor(Path images) {
        String name = images.getFileName().toString();
        String base = name.replace("images", "labels").replace("idx3", "idx1");
        if (base.equals(name)) {
            return null;
        }
        String plain = base.endsWith(".gz") ? base.substring(0, base.length() - 3) : base;
        for (String candidate : List.of(base, plain, plain + ".gz")) {
            Path p = images.resolveSibling(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private record IdxImages(int total, int count, int rows, int cols, byte[] pixels) {
    }

    private static IdxImages readImages(Path file, int limit) {
        try (DataInputStream in = open(file)) {
            int magic = readHeaderInt(file, in, "magic number");
            if (magic != IMAGES_MAGIC) {
                throw new DatasetException(file, String.format("bad magic number 0x%08X, expected 0x%08X "
                        + "(IDX, unsigned bytes, 3 dimensions); is this an MNIST images file?", magic, IMAGES_MAGIC));
            }
            int total = readHeaderInt(file, in, "image count");
            int rows = readHeaderInt(file, in, "row count");
            int cols = readHeaderInt(file, in, "column count");
            if (total < 0 || rows <= 0 || cols <= 0 || rows > 4096 || cols > 4096) {
                throw new DatasetException(file, "implausible header: " + total + " images of " + rows + "x" + cols);
            }
            int count = limit > 0 ? Math.min(limit, total) : total;
            long bytes = (long) count * rows * cols;
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new DatasetException(file, count + " images of " + rows + "x" + cols + " do not fit in memory; use --limit");
            }
            byte[] pixels = in.readNBytes((int) bytes);
            if (pixels.length < bytes) {
                throw new DatasetException(file, "truncated: the header announces " + total + " images of " + rows + "x"
                        + cols + " but the pixel data ends after " + pixels.length + " of " + bytes + " bytes"
                        + (count < total ? " needed for the first " + count : "") + "; download it again");
            }
            return new IdxImages(total, count, rows, cols, pixels);
        } catch (EOFException e) {
            throw truncated(file, e);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static int[] readLabels(Path file, int expectedTotal, int count) {
        try (DataInputStream in = open(file)) {
            int magic = readHeaderInt(file, in, "magic number");
            if (magic != LABELS_MAGIC) {
                throw new DatasetException(file, String.format("bad magic number 0x%08X, expected 0x%08X "
                        + "(IDX, unsigned bytes, 1 dimension); is this an MNIST labels file?", magic, LABELS_MAGIC));
            }
            int total = readHeaderInt(file, in, "label count");
            if (total != expectedTotal) {
                throw new DatasetException(file, "holds " + total + " labels but its images file holds " + expectedTotal
                        + " images; they must be a matching pair");
            }
            byte[] raw = in.readNBytes(count);
            if (raw.length < count) {
                throw new DatasetException(file, "truncated: " + raw.length + " of " + count + " label bytes; download it again");
            }
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xFF;
                if (labels[i] > 9) {
                    throw new DatasetException(file, "label " + i + " is " + labels[i] + ", not a digit 0..9");
                }
            }
            return labels;
        } catch (EOFException e) {
            throw truncated(file, e);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Opens the file, unzipping it when it starts with the gzip magic bytes 1F 8B. */
    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        boolean gzip = raw.read() == 0x1F && raw.read() == 0x8B;
        raw.reset();
        InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        return new DataInputStream(in);
    }

    private static int readHeaderInt(Path file, DataInputStream in, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DatasetException(file, "truncated: the file ends inside the header (" + what + ")", e);
        }
    }

    /** A gzip stream that stops early fails with EOFException inside the inflater. */
    private static DatasetException truncated(Path file, EOFException e) {
        return new DatasetException(file, "truncated or corrupt compressed data (" + e.getMessage() + "); download it again", e);
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
