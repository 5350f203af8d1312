package dev.forger.benchmarks;

import ar.com.hjg.pngj.PngReaderByte;
import ar.com.hjg.pngj.chunks.PngChunk;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.ImageDecoder;
import dev.forger.service.imaging.NpyReader;
import dev.forger.service.imaging.Pixels;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One uploaded PNG to the model's floats ({@code x = p / 127.5 - 1}, channel-planar) three ways: the
 * service's {@link ImageDecoder#decode} (its hand-written PNG fast path), {@code ImageIO.read} plus the
 * raster, and PNGJ's {@link PngReaderByte} row by row. It asks whether the fast path still earns its keep
 * against a library. Images: {@code grey32}, a real MNIST digit (32x32 8-bit grey), and {@code rgb64},
 * four real digits tiled 2x2 in colour over a gradient (64x64 8-bit RGB); both written by ImageIO, as
 * clients' Java tools would. Setup refuses to run unless all three decoders return the same floats.
 * Run from the repository root: {@code benchmarks/run.sh -f 1 -wi 2 -i 3 PngDecode}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PngDecodeBenchmark {
    /** Real MNIST digits, uint8 [32, 32, 32], relative to the repository root. */
    @Param("service/src/test/resources/attacks/mnist-real-32.npy")
    public String digits;

    @Param({"grey32", "rgb64"})
    public String image;

    private final ImageDecoder decoder = new ImageDecoder(1024);
    private byte[] png;

    @Setup
    public void encode() throws IOException {
        ImageIO.setUseCache(false); // as the service runs it: no temporary file per stream
        ImageBatch real = NpyReader.read(Files.readAllBytes(Path.of(digits)), 32);
        BufferedImage picture = switch (image) {
            case "grey32" -> greyDigit(real, 0);
            case "rgb64" -> colourTiles(real);
            default -> throw new IllegalArgumentException("image: '" + image + "' is neither grey32 nor rgb64");
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(picture, "png", out)) {
            throw new IllegalStateException("ImageIO has no PNG writer");
        }
        png = out.toByteArray();
        float[] expected = imageIo();
        if (!Arrays.equals(expected, fastPath()) || !Arrays.equals(expected, pngj())) {
            throw new IllegalStateException(image + ": the three decoders disagree; the timings would compare"
                    + " different work");
        }
        List<String> chunks = chunkIds();
        if (chunks.contains("tRNS") || (image.startsWith("rgb") && chunks.contains("iCCP"))) {
            throw new IllegalStateException(image + ": chunks " + chunks + " send the fast path to ImageIO");
        }
        System.out.println(image + ": " + png.length + " bytes, ancillary chunks " + chunks);
    }

    /** The service's decoder; for these plain 8-bit PNGs it never reaches ImageIO. */
    @Benchmark
    public float[] fastPath() {
        return decoder.decode(png, "body").data();
    }

    @Benchmark
    public float[] imageIo() throws IOException {
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        Raster raster = decoded.getRaster();
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        int[] samples = raster.getPixels(0, 0, w, h, (int[]) null); // band order R, G, B for colour PNGs
        return planar(samples, bands, w * h);
    }

    @Benchmark
    public float[] pngj() {
        PngReaderByte reader = new PngReaderByte(new ByteArrayInputStream(png));
        try {
            int w = reader.imgInfo.cols;
            int channels = reader.imgInfo.channels;
            if (reader.imgInfo.bitDepth != 8 || reader.imgInfo.alpha || reader.imgInfo.indexed) {
                throw new IllegalStateException("pngj: only 8-bit grey or RGB without alpha is benchmarked");
            }
            int plane = w * reader.imgInfo.rows;
            float[] data = new float[channels * plane];
            for (int y = 0; reader.hasMoreRows(); y++) {
                byte[] row = reader.readRowByte().getScanlineByte();
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < channels; c++) {
                        data[c * plane + y * w + x] = Pixels.toModel(row[x * channels + c] & 0xff);
                    }
                }
            }
            return data;
        } finally {
            reader.end();
        }
    }

    private static float[] planar(int[] interleaved, int bands, int plane) {
        float[] data = new float[bands * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < bands; c++) {
                data[c * plane + i] = Pixels.toModel(interleaved[i * bands + c]);
            }
        }
        return data;
    }

    private static BufferedImage greyDigit(ImageBatch real, int index) {
        float[] digit = real.image(index);
        BufferedImage grey = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        int[] pixels = new int[digit.length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = Pixels.toPixel(digit[i]);
        }
        grey.getRaster().setPixels(0, 0, 32, 32, pixels);
        return grey;
    }

    /** Strokes of four digits in four colours over a red-green gradient: more colours than a flat test card. */
    private static BufferedImage colourTiles(ImageBatch real) {
        int[][] inks = {{255, 255, 255}, {255, 220, 0}, {0, 200, 255}, {255, 40, 160}};
        BufferedImage rgb = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        int[] pixels = new int[64 * 64 * 3];
        for (int tile = 0; tile < 4; tile++) {
            float[] digit = real.image(tile * 8 + 1);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int px = (tile % 2) * 32 + x;
                    int py = (tile / 2) * 32 + y;
                    double ink = Pixels.toPixel(digit[y * 32 + x]) / 255.0;
                    int[] background = {4 * px, 4 * py, 64};
                    for (int c = 0; c < 3; c++) {
                        pixels[(py * 64 + px) * 3 + c] =
                                (int) Math.round(background[c] * (1 - ink) + inks[tile][c] * ink);
                    }
                }
            }
        }
        rgb.getRaster().setPixels(0, 0, 64, 64, pixels);
        return rgb;
    }

    private List<String> chunkIds() {
        PngReaderByte reader = new PngReaderByte(new ByteArrayInputStream(png));
        try {
            reader.readRows();
            return reader.getChunksList().getChunks().stream().map(chunk -> chunk.id).toList();
        } finally {
            reader.end();
        }
    }
}
