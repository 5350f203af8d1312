package dev.forger.service.api;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.forger.service.imaging.DecoderPropertiesTest;
import dev.forger.service.imaging.ResizeMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Zip uploads as the API reads them, over 300 inputs from fixed seeds: archives of PNGs, .npy batches, junk, folders, nested zips and
 * oversized entries, whole, cut short or with bytes flipped, become images or a client problem, within 10 s each.
 */
class UploadPropertiesTest {
    @Test
    void anyZipIsReadOrRefused() {
        DecoderPropertiesTest.forSeeds(300, UploadPropertiesTest::zip);
    }

    private static void zip(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] zip = randomZip(random);
        if (random.nextInt(3) == 0) {
            zip = Arrays.copyOf(zip, random.nextInt(zip.length));
        } else if (random.nextInt(3) == 0) {
            for (int i = 0; i < 1 + random.nextInt(8); i++) {
                zip[random.nextInt(zip.length)] ^= (byte) (1 << random.nextInt(8));
            }
        }
        byte[] body = zip;
        ResizeMode resize = ResizeMode.values()[random.nextInt(ResizeMode.values().length)];
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> UploadFuzzTest.read(body, UploadSpec.ZIP, true, resize));
    }

    static byte[] randomZip(SplittableRandom random) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            int entries = random.nextInt(12);
            for (int i = 0; i < entries; i++) {
                int kind = random.nextInt(7);
                String name = switch (kind) {
                    case 0 -> "folder" + i + "/";
                    case 1 -> "__MACOSX/._d" + i + ".png";
                    default -> "d" + i + (kind == 3 ? ".npy" : ".png");
                };
                zip.putNextEntry(new ZipEntry(name));
                switch (kind) {
                    case 0, 1 -> { }
                    case 2 -> zip.write(DecoderPropertiesTest.randomPng(random));
                    case 3 -> zip.write(DecoderPropertiesTest.randomNpy(random));
                    case 4 -> {
                        byte[] junk = new byte[random.nextInt(2048)];
                        random.nextBytes(junk);
                        zip.write(junk);
                    }
                    case 5 -> zip.write(new byte[5 << 20]); // over the 4 MB an entry may unpack to
                    default -> zip.write(new byte[] {'P', 'K', 3, 4, 20, 0}); // the start of a nested zip
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
