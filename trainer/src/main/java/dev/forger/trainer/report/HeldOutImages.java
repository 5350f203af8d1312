package dev.forger.trainer.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.forger.trainer.data.ImageSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The images a run holds out of training, kept in its run directory so that {@code export} can measure the
 * served nets on exactly them without the dataset at hand:
 * <ul>
 *   <li>{@value #PIXELS}: the pixels, uint8 [N, C, H, W], in NumPy's {@code .npy} format 1.0
 *       ({@code numpy.load} reads it);</li>
 *   <li>{@value #RECORD}: where they came from — the dataset, each image's index in the dataset as the run
 *       loaded it (after {@code --limit}), the labels — and the SHA-256 of {@link ImageSet#sha256()}.</li>
 * </ul>
 * The .npy header is a dozen bytes of text; no maintained Java library for it is in reach here, so it is
 * written and parsed by hand, for this one dtype and layout.
 */
public final class HeldOutImages {

    public static final String PIXELS = "held-out.npy";
    public static final String RECORD = "held-out.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern HEADER = Pattern.compile(
            "\\{'descr': '\\|u1', 'fortran_order': False, 'shape': \\((\\d+), (\\d+), (\\d+), (\\d+)\\), }\\s*");

    private HeldOutImages() {
    }

    /**
     * What {@value #RECORD} says.
     *
     * @param source         the dataset, in words (as run.json names it)
     * @param count          N
     * @param datasetIndices each held-out image's index in the dataset as the run loaded it
     * @param labels         each held-out image's label, -1 where unknown
     * @param sha256         {@link ImageSet#sha256()} of the held-out set
     */
    public record Record(String source, int count, int channels, int height, int width, int[] datasetIndices,
                         int[] labels, String sha256) {
    }

    public static void write(Path runDir, ImageSet heldOut, int[] datasetIndices) throws IOException {
        if (datasetIndices.length != heldOut.size()) {
            throw new IllegalArgumentException(datasetIndices.length + " indices for " + heldOut.size() + " images");
        }
        String header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + heldOut.size() + ", "
                + heldOut.channels() + ", " + heldOut.height() + ", " + heldOut.width() + "), }";
        // magic (6) + version (2) + header length (2) + header, padded with spaces and ended by \n to 64 bytes
        int unpadded = MAGIC.length + 4 + header.length() + 1;
        String padded = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer prefix = ByteBuffer.allocate(MAGIC.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        prefix.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) padded.length());
        AtomicFiles.write(runDir.resolve(PIXELS), out -> {
            out.write(prefix.array());
            out.write(padded.getBytes(StandardCharsets.US_ASCII));
            out.write(heldOut.pixels());
        });
        Record record = new Record(heldOut.source(), heldOut.size(), heldOut.channels(), heldOut.height(),
                heldOut.width(), datasetIndices, heldOut.labels(), heldOut.sha256());
        AtomicFiles.write(runDir.resolve(RECORD), out -> JSON.writeValue(new NonClosing(out), record));
    }

    public static boolean existIn(Path runDir) {
        return Files.isRegularFile(runDir.resolve(RECORD)) && Files.isRegularFile(runDir.resolve(PIXELS));
    }

    public static Record readRecord(Path runDir) throws IOException {
        Path file = runDir.resolve(RECORD);
        try {
            return JSON.readValue(file.toFile(), Record.class);
        } catch (IOException e) {
            throw new IOException(file + ": not a held-out record: " + e.getMessage(), e);
        }
    }

    /** The held-out images, checked against the record's shape, count and SHA-256. */
    public static ImageSet read(Path runDir) throws IOException {
        Record record = readRecord(runDir);
        Path file = runDir.resolve(PIXELS);
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC) || bytes[6] != 1) {
            throw new IOException(file + ": not a NumPy .npy file of format 1.x");
        }
        int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
        String header = new String(bytes, 10, Math.min(headerLength, bytes.length - 10), StandardCharsets.US_ASCII);
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            throw new IOException(file + ": expected uint8 [N, C, H, W] in C order, header is " + header.strip());
        }
        int[] shape = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4))};
        if (shape[0] != record.count() || shape[1] != record.channels() || shape[2] != record.height()
                || shape[3] != record.width() || record.labels() == null || record.labels().length != record.count()) {
            throw new IOException(file + ": shape " + Arrays.toString(shape) + " does not match " + runDir.resolve(RECORD));
        }
        int offset = 10 + headerLength;
        long expected = (long) shape[0] * shape[1] * shape[2] * shape[3];
        if (bytes.length - offset != expected) {
            throw new IOException(file + ": holds " + (bytes.length - offset) + " pixel bytes, the shape needs " + expected);
        }
        ImageSet set = new ImageSet(record.source(), shape[1], shape[2], shape[3],
                Arrays.copyOfRange(bytes, offset, bytes.length), record.labels());
        if (!set.sha256().equals(record.sha256())) {
            throw new IOException(file + ": SHA-256 " + set.sha256() + " differs from the record's " + record.sha256()
                    + " (the file was changed after the run wrote it)");
        }
        return set;
    }

    /** Jackson closes the stream it writes to; AtomicFiles closes it itself. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
