package dev.forger.service.api;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.forger.service.imaging.ImageDecoder;
import dev.forger.service.imaging.ImageShape;
import dev.forger.service.imaging.ResizeMode;
import dev.forger.service.problem.ClientProblem;
import org.assertj.core.api.Assertions;

/**
 * Coverage-guided fuzzing of an upload as the API reads it: any bytes under any of the Content-Types clients send
 * (zip archives included, whose entries go through the same readers) become images of the model's shape or a
 * client problem, never another exception; an upload never holds more images than the request allows.
 */
class UploadFuzzTest {
    static final String[] CONTENT_TYPES = {null, "application/octet-stream", UploadSpec.PNG, UploadSpec.NPY,
            UploadSpec.ZIP, UploadSpec.JPEG, "text/plain"};
    static final int MAX_IMAGES = 8;
    private static final UploadReader READER = new UploadReader(new ImageDecoder(256));

    @FuzzTest(maxDuration = "10s")
    void readsOrRefuses(FuzzedDataProvider data) {
        String contentType = CONTENT_TYPES[data.consumeInt(0, CONTENT_TYPES.length - 1)];
        boolean evaluation = data.consumeBoolean();
        ResizeMode resize = data.pickValue(ResizeMode.values());
        read(data.consumeRemainingAsBytes(), contentType, evaluation, resize);
    }

    static void read(byte[] bytes, String contentType, boolean evaluation, ResizeMode resize) {
        ImageShape shape = new ImageShape(1, 32, 32);
        UploadSpec spec = new UploadSpec("POST /api/v1/fuzz", evaluation ? UploadSpec.NPY_OR_ZIP
                : UploadSpec.IMAGES_OR_NPY, shape, resize, MAX_IMAGES, "fuzzing");
        UploadedImages into = new UploadedImages(shape, MAX_IMAGES);
        try {
            READER.read(bytes, contentType, "body", spec, into);
            Assertions.assertThat(into.room()).isBetween(0, MAX_IMAGES);
        } catch (ClientProblem expected) {
            Assertions.assertThat(expected.type().status()).isBetween(400, 499);
        }
    }
}
