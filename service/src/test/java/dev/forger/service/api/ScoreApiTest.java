package dev.forger.service.api;

import static dev.forger.service.api.GenerateApiTest.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.forger.service.fixture.TestBundles;
import dev.forger.service.fixture.TinyBundle;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.NpyReader;
import dev.forger.service.imaging.NpyWriter;
import dev.forger.service.imaging.Pixels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class ScoreApiTest {
    private static byte[] digitPng;
    private static float[] digitPixels;

    /** A generated digit and its pixels; fetched once the application runs (not in @BeforeAll). */
    @org.junit.jupiter.api.BeforeEach
    void generateADigit() {
        if (digitPng == null) {
            digitPng = given().get("/api/v1/generate?count=1&seed=3").then().statusCode(200).extract().asByteArray();
            digitPixels = new dev.forger.service.imaging.ImageDecoder(4096).decode(digitPng, "png").data();
        }
    }

    /** The discriminator run directly in ONNX Runtime, outside the service: the reference logit. */
    static float referenceLogit(float[] image) throws Exception {
        Path dir = TinyBundle.write(Files.createTempDirectory("forger-ref-").resolve("b"), TestBundles.DEFAULT, 1);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(dir.resolve("discriminator.onnx").toString());
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(image), new long[] {1, 1, 32, 32});
             OrtSession.Result r = session.run(Map.of("image", x))) {
            return ((float[][]) r.get(0).getValue())[0][0];
        }
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    @Test
    void aPngIsScoredExactlyAsTheDiscriminatorScoresIt() throws Exception {
        Response r = given().contentType("image/png").body(digitPng).post("/api/v1/score");
        r.then().statusCode(200).body("model", equalTo(TestBundles.DEFAULT)).body("results", hasSize(1))
                .body("results[0].index", equalTo(0));
        double logit = r.jsonPath().getDouble("results[0].logit");
        double p = r.jsonPath().getDouble("results[0].realProbability");
        assertThat(logit).isCloseTo(referenceLogit(digitPixels), within(1e-5));
        assertThat(p).isCloseTo(1 / (1 + Math.exp(-logit)), within(1e-6)); // JsonPath reads floats
    }

    @Test
    void multipartScoresEveryImagePartInOrder() throws Exception {
        float[] black = new float[32 * 32];
        Arrays.fill(black, -1f);
        byte[] blackNpy = NpyWriter.write(new ImageBatch(new dev.forger.service.imaging.ImageShape(1, 32, 32), 1, black));
        Response r = given().multiPart("image", "digit.png", digitPng, "image/png")
                .multiPart("image", "black.npy", blackNpy, "application/x-npy")
                .multiPart("image", "again.png", digitPng, "image/png")
                .post("/api/v1/score");
        r.then().statusCode(200).body("results", hasSize(3)).body("results[2].index", equalTo(2));
        assertThat(r.jsonPath().getDouble("results[0].logit")).isCloseTo(referenceLogit(digitPixels), within(1e-5));
        assertThat(r.jsonPath().getDouble("results[1].logit")).isCloseTo(referenceLogit(black), within(1e-5));
        assertThat(r.jsonPath().getDouble("results[2].logit")).isEqualTo(r.jsonPath().getDouble("results[0].logit"));
    }

    @Test
    void colourAlphaAndJpegAreConvertedToTheModelsGrey() throws Exception {
        BufferedImage rgb = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
        for (int i = 0; i < 32 * 32; i++) {
            int v = Pixels.toPixel(digitPixels[i]);
            rgb.setRGB(i % 32, i / 32, 0xFF000000 | v << 16 | v << 8 | v);
        }
        double expected = referenceLogit(digitPixels);
        double fromRgba = given().contentType("image/png").body(encode(rgb, "png")).post("/api/v1/score")
                .then().statusCode(200).extract().jsonPath().getDouble("results[0].logit");
        assertThat(fromRgba).isCloseTo(expected, within(1e-4));

        BufferedImage grey = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setPixels(0, 0, 32, 32, toPixels(digitPixels));
        given().contentType("image/jpeg").body(encode(grey, "jpeg")).post("/api/v1/score")
                .then().statusCode(200).body("results", hasSize(1));
    }

    @Test
    void npyBatchesOfFloatsAndBytesAreScored() throws Exception {
        byte[] floats = NpyWriter.write(new ImageBatch(new dev.forger.service.imaging.ImageShape(1, 32, 32), 1,
                digitPixels));
        assertThat(given().contentType("application/x-npy").body(floats).post("/api/v1/score").then()
                .statusCode(200).extract().jsonPath().getDouble("results[0].logit"))
                .isCloseTo(referenceLogit(digitPixels), within(1e-5));

        byte[] bytes = dev.forger.service.fixture.NpyFiles.npy("|u1", "(2, 32, 32)", new byte[2 * 32 * 32]);
        given().contentType("application/x-npy").body(bytes).post("/api/v1/score").then().statusCode(200)
                .body("results", hasSize(2));
    }

    @Test
    void theWrongSizeIsRefusedUnlessResizeIsAsked() throws IOException {
        byte[] small = encode(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png");
        problem(given().contentType("image/png").body(small).post("/api/v1/score"), 422, "wrong-image-size",
                "body", "expects 32x32");
        given().contentType("image/png").body(small).post("/api/v1/score?resize=true").then().statusCode(200)
                .body("results", hasSize(1));
    }

    @Test
    void everythingAClientCanGetWrongIsAProblemThatSaysHowToFixIt() throws IOException {
        problem(given().contentType("image/png").body("just text".getBytes()).post("/api/v1/score"),
                415, "not-an-image", "body", "not a PNG");
        problem(given().contentType("image/png").body(Arrays.copyOf(digitPng, digitPng.length / 2))
                .post("/api/v1/score"), 400, "corrupt-image", "body", "truncated");
        problem(given().contentType("image/png").body(bomb()).post("/api/v1/score"), 413, "image-too-large",
                "body", "4096 per side");
        problem(given().contentType("application/x-npy").body("\u0093NUMPY junk".getBytes("ISO-8859-1"))
                .post("/api/v1/score"), 400, "malformed-npy", "body", "malformed .npy");
        float[] nan = new float[32 * 32];
        nan[5] = Float.NaN;
        problem(given().contentType("application/x-npy").body(NpyWriter.write(new ImageBatch(
                new dev.forger.service.imaging.ImageShape(1, 32, 32), 1, nan))).post("/api/v1/score"),
                422, "non-finite-value", "body", "element 5");
        problem(given().contentType("application/x-npy")
                .body(dev.forger.service.fixture.NpyFiles.npy("|u1", "(65, 32, 32)", new byte[65 * 1024]))
                .post("/api/v1/score"), 413, "too-many-images", "body", "at most 64");
        problem(given().contentType("text/plain").body("hello").post("/api/v1/score"), 415,
                "unsupported-media-type", "Content-Type", "image/png");
        problem(given().contentType("image/png").body(new byte[9 * 1024 * 1024]).post("/api/v1/score"), 413,
                "body-too-large", null, "max-body-size");
        problem(given().contentType("image/png").body(digitPng).post("/api/v1/score?model=nope"), 404,
                "unknown-model", "model", "tiny-dcgan");
        problem(given().contentType("image/png").body(digitPng).post("/api/v1/score?resize=maybe"), 400,
                "invalid-parameter", "resize", "true or scale (rescale to the model's size) or pad");
        problem(given().multiPart("model", TestBundles.DEFAULT).post("/api/v1/score"), 400, "missing-body",
                "image", "part named 'image'");
    }

    private static int[] toPixels(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Pixels.toPixel(values[i]);
        }
        return out;
    }

    /** A valid PNG whose header claims 100000 x 100000 pixels. */
    private static byte[] bomb() {
        byte[] copy = digitPng.clone();
        ByteBuffer.wrap(copy).putInt(16, 100_000).putInt(20, 100_000);
        CRC32 crc = new CRC32();
        crc.update(copy, 12, 17);
        ByteBuffer.wrap(copy).putInt(29, (int) crc.getValue());
        return copy;
    }
}
