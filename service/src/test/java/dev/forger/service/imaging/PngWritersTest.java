package dev.forger.service.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PngWritersTest {
    static List<PngWriter> writers() {
        return List.of(new FastPngWriter(), new ImageIoPngWriter());
    }

    private final ImageDecoder decoder = new ImageDecoder(4096);

    @ParameterizedTest
    @MethodSource("writers")
    void greyImagesSurviveEncodeAndDecodeBitForBit(PngWriter writer) {
        ImageBatch batch = TestImages.onPixelGrid(new ImageShape(1, 32, 32), 1, 1);
        byte[] png = writer.encode(Rasters.toImage(batch, 0));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        ImageBatch decoded = decoder.decode(png, "png");
        assertThat(decoded.shape()).isEqualTo(new ImageShape(1, 32, 32));
        assertThat(decoded.data()).containsExactly(batch.data());
    }

    @ParameterizedTest
    @MethodSource("writers")
    void colourImagesKeepTheirChannelOrder(PngWriter writer) {
        ImageBatch batch = TestImages.onPixelGrid(new ImageShape(3, 8, 12), 2, 2);
        byte[] png = writer.encode(Rasters.toImage(batch, 1));
        ImageBatch decoded = decoder.decode(png, "png");
        assertThat(decoded.shape()).isEqualTo(new ImageShape(3, 8, 12));
        assertThat(decoded.data()).containsExactly(batch.image(1));
    }
}
