package dev.forger.service.imaging;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the image decoder with whole files: the fuzzer's bytes get their chunk CRCs repaired
 * (so that mutations reach the decoder), then must decode or be refused as a client problem, and whatever the PNG
 * fast path accepts must equal ImageIO's decoding. {@code ./mvnw test} replays the seeds and the kept findings
 * in {@code PngFuzzTestInputs/}; the bounded fuzz run and the long one are in the README's Security section.
 */
class PngFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void decodesOrRefusesAndTheFastPathAgreesWithImageIo(byte[] data) {
        DecoderHarness.pngAgreesWithImageIo(DecoderHarness.withValidCrcs(data));
    }
}
