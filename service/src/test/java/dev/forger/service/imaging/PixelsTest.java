package dev.forger.service.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PixelsTest {
    @Test
    void byteToFloatToByteIsExactForEveryPixel() {
        for (int p = 0; p < 256; p++) {
            float x = Pixels.toModel(p);
            assertThat(x).isBetween(-1f, 1f);
            assertThat(Pixels.toPixel(x)).isEqualTo(p);
        }
        assertThat(Pixels.toModel(0)).isEqualTo(-1f);
        assertThat(Pixels.toModel(255)).isEqualTo(1f);
    }

    @Test
    void outOfRangeValuesClampToTheEnds() {
        assertThat(Pixels.toPixel(-1.7f)).isZero();
        assertThat(Pixels.toPixel(1.0001f)).isEqualTo(255);
    }
}
