package dev.forger.service.imaging;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the PNG fast path's inner loop: the fuzzer picks the size, the colour type, the IDAT
 * chunking and the decompressed rows themselves (filter bytes included, valid or not, and any length), which are
 * compressed into a well-formed PNG. Whatever the fast path accepts must equal ImageIO's decoding to the float.
 */
class PngRowsFuzzTest {
    private static final int[] COLOUR_TYPES = {0, 2, 4, 6};

    @FuzzTest(maxDuration = "10s")
    void theFastPathAgreesWithImageIoOnAnyRows(FuzzedDataProvider data) {
        int width = data.consumeInt(1, 40);
        int height = data.consumeInt(1, 40);
        int colourType = COLOUR_TYPES[data.consumeInt(0, 3)];
        int idatSize = data.consumeInt(1, 4096);
        byte[] rows = data.consumeRemainingAsBytes();
        DecoderHarness.pngAgreesWithImageIo(DecoderHarness.pngOfRawRows(width, height, colourType, rows, idatSize));
    }
}
