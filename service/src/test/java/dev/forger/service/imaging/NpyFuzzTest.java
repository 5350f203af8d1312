package dev.forger.service.imaging;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Coverage-guided fuzzing of the .npy reader: any bytes read as an array or refused as a client problem. */
class NpyFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void readsOrRefuses(byte[] data) {
        DecoderHarness.npy(data);
    }
}
