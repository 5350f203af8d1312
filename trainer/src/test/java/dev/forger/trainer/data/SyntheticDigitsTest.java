package dev.forger.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SyntheticDigitsTest {

    private static int ink(ImageSet set, int image) {
        int sum = 0;
        for (int y = 0; y < set.height(); y++) {
            for (int x = 0; x < set.width(); x++) {
                sum += set.pixel(image, 0, y, x);
            }
        }
        return sum;
    }

    @Test
    void sameSeedGivesTheSamePixelsAndAnotherSeedDifferentOnes() {
        ImageSet a = SyntheticDigits.generate(50, 32, 7);
        ImageSet b = SyntheticDigits.generate(50, 32, 7);
        ImageSet c = SyntheticDigits.generate(50, 32, 8);

        assertThat(a.pixels()).isEqualTo(b.pixels());
        assertThat(a.pixels()).isNotEqualTo(c.pixels());
    }

    @Test
    void labelsCycleThroughAllDigits() {
        ImageSet set = SyntheticDigits.generate(23, 32, 1);

        assertThat(set.labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2);
        assertThat(set.channels()).isEqualTo(1);
        assertThat(set.height()).isEqualTo(32);
    }

    @Test
    void digitsAreDrawnWithTheirSegments() {
        ImageSet set = SyntheticDigits.generate(200, 32, 3);
        long[] inkPerDigit = new long[10];
        for (int i = 0; i < set.size(); i++) {
            int ink = ink(set, i);
            assertThat(ink).as("image %d has ink", i).isPositive();
            assertThat(set.pixel(i, 0, 0, 0)).as("corner of image %d is background", i).isZero();
            inkPerDigit[set.labels()[i]] += ink;
        }
        // 8 lights all seven segments, 1 only two: on average 8 carries far more ink
        assertThat(inkPerDigit[8]).isGreaterThan(2 * inkPerDigit[1]);
        assertThat(inkPerDigit[8]).isGreaterThan(inkPerDigit[0]);
        assertThat(inkPerDigit[0]).isGreaterThan(inkPerDigit[7]);
    }

    @Test
    void middleSegmentSeparatesEightFromZero() {
        // 8 is 0 plus the middle bar: the band of rows around the glyph's middle carries more ink
        ImageSet set = SyntheticDigits.generate(200, 32, 11);
        long eights = 0;
        long zeros = 0;
        for (int i = 0; i < set.size(); i++) {
            long band = 0;
            for (int y = 13; y < 20; y++) {
                for (int x = 0; x < 32; x++) {
                    band += set.pixel(i, 0, y, x);
                }
            }
            eights += set.labels()[i] == 8 ? band : 0;
            zeros += set.labels()[i] == 0 ? band : 0;
        }
        assertThat(eights).isGreaterThan(zeros * 13 / 10);
    }

    @Test
    void otherSizesAreDrawnDirectly() {
        ImageSet set = SyntheticDigits.generate(10, 64, 0);
        assertThat(set.height()).isEqualTo(64);
        assertThat(set.width()).isEqualTo(64);
        assertThat(ink(set, 8)).isPositive();
    }

    @Test
    void countMustBePositive() {
        assertThatThrownBy(() -> SyntheticDigits.generate(0, 32, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
