package dev.forger.service.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forger.service.fixture.RealTools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamWritersTest {
    static final ImageShape SHAPE = new ImageShape(1, 32, 32);
    final PngWriter png = new FastPngWriter();

    @Test
    void anNpyWrittenInBatchesIsTheWholeFileByteForByte() throws IOException {
        ImageBatch all = TestImages.onPixelGrid(SHAPE, 10, 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyStreamWriter writer = new NpyStreamWriter(out, SHAPE, 10);
        writer.write(slice(all, 0, 4), 0);
        writer.write(slice(all, 4, 6), 4);
        writer.finish();
        assertThat(out.toByteArray()).isEqualTo(NpyWriter.write(all));
        assertThat((long) out.size()).isEqualTo(NpyWriter.fileLength(10, SHAPE));
    }

    @Test
    void anNpyStreamRefusesToEndShortOfItsHeader() throws IOException {
        NpyStreamWriter writer = new NpyStreamWriter(OutputStream.nullOutputStream(), SHAPE, 3);
        writer.write(TestImages.onPixelGrid(SHAPE, 2, 1), 0);
        assertThatThrownBy(writer::finish).hasMessageContaining("promised 3 images; 2 were written");
    }

    @Test
    void zipEntriesAreNamedBySampleIndexAndHoldThePngs(@TempDir Path tmp) throws IOException {
        ImageBatch all = TestImages.onPixelGrid(SHAPE, 5, 4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZipStreamWriter writer = new ZipStreamWriter(out, "m-7", png);
        writer.write(slice(all, 0, 3), 1000);
        writer.write(slice(all, 3, 2), 1003);
        writer.finish();
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                assertThat(zip.readAllBytes()).isEqualTo(png.encode(Rasters.toImage(all, names.size())));
                names.add(e.getName());
            }
        }
        assertThat(names).containsExactly("m-7-00001000.png", "m-7-00001001.png", "m-7-00001002.png",
                "m-7-00001003.png", "m-7-00001004.png");
        // the same images give the same bytes (fixed entry times)
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        ZipStreamWriter second = new ZipStreamWriter(again, "m-7", png);
        second.write(all, 1000);
        second.finish();
        assertThat(again.toByteArray()).isEqualTo(out.toByteArray());
    }

    @Test
    void aZipOfMoreThan65535EntriesOpensWithTheStandardTools(@TempDir Path tmp) throws IOException {
        // Zip64 territory: the classic end record counts at most 65,535 entries. The container is what is
        // tested here, so every entry holds the same one-pixel PNG, encoded once
        ImageShape pixel = new ImageShape(1, 1, 1);
        byte[] onePixel = png.encode(Rasters.toImage(TestImages.onPixelGrid(pixel, 1, 0), 0));
        PngWriter cached = new PngWriter() {
            @Override
            public byte[] encode(java.awt.image.BufferedImage image) {
                return onePixel;
            }

            @Override
            public String name() {
                return "one pixel";
            }
        };
        int n = 70_000;
        Path file = tmp.resolve("many.zip");
        try (OutputStream out = Files.newOutputStream(file)) {
            ZipStreamWriter writer = new ZipStreamWriter(out, "p", cached);
            for (int first = 0; first < n; first += 1000) {
                writer.write(TestImages.onPixelGrid(pixel, 1000, first), first);
            }
            writer.finish();
        }
        String unzip = RealTools.require("unzip", "unzip");
        String zip = RealTools.require("zip", "zip");
        assertThat(RealTools.run(tmp, unzip, "-tqq", file.toString()).orFail()).isEmpty();
        assertThat(RealTools.run(tmp, zip, "-T", file.toString()).orFail()).contains("OK");
        assertThat(RealTools.run(tmp, unzip, "-Z1", file.toString()).orFail().lines())
                .hasSize(n).startsWith("p-00000000.png").endsWith("p-00069999.png");
    }

    @Test
    void tarEntriesAreNamedBySampleIndexAndTarListsThem(@TempDir Path tmp) throws IOException {
        ImageBatch all = TestImages.onPixelGrid(SHAPE, 4, 6);
        Path file = tmp.resolve("digits.tar");
        try (OutputStream out = Files.newOutputStream(file)) {
            TarStreamWriter writer = new TarStreamWriter(out, "m-3", png);
            writer.write(slice(all, 0, 2), 0);
            writer.write(slice(all, 2, 2), 2);
            writer.finish();
        }
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(file))) {
            int i = 0;
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; i++) {
                assertThat(e.getName()).isEqualTo(ArchiveNames.png("m-3", i));
                byte[] bytes = in.readAllBytes();
                assertThat(bytes).isEqualTo(png.encode(Rasters.toImage(all, i)));
                assertThat(ImageIO.read(new ByteArrayInputStream(bytes)).getWidth()).isEqualTo(32);
            }
            assertThat(i).isEqualTo(4);
        }
        String tar = RealTools.require("tar", "tar");
        String listing = RealTools.run(tmp, tar, "-tvf", file.toString()).orFail();
        assertThat(listing.lines()).hasSize(4).allSatisfy(line -> assertThat(line).startsWith("-rw-r--r--")
                .contains("2000-01-01"));
        assertThat(listing).contains("m-3-00000000.png", "m-3-00000003.png");
        assertThat(RealTools.run(tmp, tar, "-xf", file.toString()).output()).isEmpty(); // no warnings
        assertThat(Files.readAllBytes(tmp.resolve("m-3-00000002.png"))).isEqualTo(png.encode(Rasters.toImage(all, 2)));
    }

    static ImageBatch slice(ImageBatch all, int first, int n) {
        float[] data = new float[n * all.shape().size()];
        System.arraycopy(all.data(), first * all.shape().size(), data, 0, data.length);
        return new ImageBatch(all.shape(), n, data);
    }
}
