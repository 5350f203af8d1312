package dev.forger.trainer.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;

/**
 * The official SVHN "cropped digits" files {@code train_32x32.mat}, {@code test_32x32.mat} and
 * {@code extra_32x32.mat} (MATLAB v5, read with MFL).
 *
 * <p>They hold {@code X}, uint8 [32, 32, 3, N], and {@code y}, double [N, 1] with labels 1..10 where
 * 10 stands for the digit 0. MATLAB stores arrays column-major, so element X(row, col, channel, n)
 * sits at linear index {@code row + 32*col + 1024*channel + 3072*n}; this reader turns that into the
 * row-major CHW layout of {@link ImageSet}. MATLAB also writes a double array whose values are small
 * integers with a smaller element type (uint8 for SVHN's y); MFL's getters convert, so y is read
 * through {@link Matrix#getDouble(int)} whatever the stored type.
 */
public final class SvhnMatDataset {

    private static final String FIX = "; expected an SVHN *_32x32.mat file (MATLAB v5) with X uint8 [32,32,3,N] and y [N,1]";

    private SvhnMatDataset() {
    }

    /** Reads the first {@code limit} images (all when 0) as 3x32x32 RGB with labels 0..9. */
    public static ImageSet read(Path file, int limit) {
        Mat5File mat = open(file);
        try {
            Matrix x = uint8Images(file, mat);
            int[] dims = x.getDimensions();
            int height = dims[0];
            int width = dims[1];
            int count = dims.length == 4 ? dims[3] : 1;
            int[] labels = labels(file, mat, count);

            int n = limit > 0 ? Math.min(limit, count) : count;
            int plane = height * width;
            byte[] pixels = new byte[n * 3 * plane];
            int out = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 3; c++) {
                    int base = (i * 3 + c) * plane;
                    for (int row = 0; row < height; row++) {
                        for (int col = 0; col < width; col++) {
                            pixels[out++] = x.getByte(base + col * height + row);
                        }
                    }
                }
            }
            return new ImageSet("svhn:" + file.getFileName(), 3, height, width, pixels, Arrays.copyOf(labels, n));
        } finally {
            closeQuietly(mat);
        }
    }

    private static Mat5File open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file, Files.exists(file)
                    ? "is not a regular file" + FIX
                    : "file not found; download train_32x32.mat (or test_/extra_) from the SVHN site and pass its path with --data");
        }
        String header = headerText(file);
        if (header.startsWith("MATLAB 7.3")) {
            throw new DatasetException(file, "is a MATLAB v7.3 (HDF5) file, which is not supported; re-save it in MATLAB with save(..., '-v7')");
        }
        if (!header.startsWith("MATLAB 5.0 MAT-file")) {
            throw new DatasetException(file, "is not a MATLAB v5 MAT file (its header does not start with 'MATLAB 5.0 MAT-file')" + FIX);
        }
        try {
            return Mat5.readFromFile(file.toFile());
        } catch (IOException | RuntimeException e) {
            // MFL reports a cut-off or corrupt file as EOF, buffer underflow or a bad tag
            throw new DatasetException(file, "cannot be read as a MAT file, it is probably truncated or corrupt ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); download it again", e);
        }
    }

    private static String headerText(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(116), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static Matrix uint8Images(Path file, MatFile mat) {
        Array array = find(file, mat, "X");
        if (!(array instanceof Matrix matrix) || array.getType() != MatlabType.UInt8 || matrix.isComplex()) {
            throw new DatasetException(file, "variable X is " + describe(array) + ", not a real uint8 array" + FIX);
        }
        int[] dims = array.getDimensions();
        boolean shaped = (dims.length == 4 || dims.length == 3) && dims[2] == 3 && dims[0] > 0 && dims[1] > 0;
        if (!shaped) {
            throw new DatasetException(file, "variable X has dimensions " + Arrays.toString(dims)
                    + ", expected [height, width, 3, N]" + FIX);
        }
        return matrix;
    }

    private static int[] labels(Path file, MatFile mat, int count) {
        Array array = find(file, mat, "y");
        if (!(array instanceof Matrix matrix) || !isRealNumeric(array.getType()) || matrix.isComplex()) {
            throw new DatasetException(file, "variable y is " + describe(array) + ", not a real numeric array" + FIX);
        }
        int[] dims = array.getDimensions();
        if (dims.length != 2 || Math.min(dims[0], dims[1]) != 1 && array.getNumElements() != 0) {
            throw new DatasetException(file, "variable y has dimensions " + Arrays.toString(dims) + ", expected [N, 1]" + FIX);
        }
        if (array.getNumElements() != count) {
            throw new DatasetException(file, "X holds " + count + " images but y holds " + array.getNumElements()
                    + " labels; the two must come from the same file" + FIX);
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            double value = matrix.getDouble(i);
            if (value != Math.rint(value) || value < 0 || value > 10) {
                throw new DatasetException(file, "y(" + (i + 1) + ") = " + value
                        + " is not a digit label 1..10 (10 meaning 0)" + FIX);
            }
            labels[i] = (int) value % 10;
        }
        return labels;
    }

    private static Array find(Path file, MatFile mat, String name) {
        for (MatFile.Entry entry : mat.getEntries()) {
            if (entry.getName().equals(name)) {
                return entry.getValue();
            }
        }
        StringBuilder names = new StringBuilder();
        for (MatFile.Entry entry : mat.getEntries()) {
            names.append(names.length() == 0 ? "" : ", ").append(entry.getName());
        }
        throw new DatasetException(file, "has no variable '" + name + "' (it holds: "
                + (names.length() == 0 ? "nothing" : names) + ")" + FIX);
    }

    private static boolean isRealNumeric(MatlabType type) {
        return switch (type) {
            case Double, Single, Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64 -> true;
            default -> false;
        };
    }

    private static String describe(Array array) {
        return "of type " + array.getType() + " with dimensions " + Arrays.toString(array.getDimensions());
    }

    private static void closeQuietly(MatFile mat) {
        try {
            mat.close();
        } catch (IOException ignored) {
            // the data is already copied; a failure to release MFL's buffers changes nothing for the caller
        }
    }
}
