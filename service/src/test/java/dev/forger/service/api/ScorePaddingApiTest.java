package dev.forger.service.api;

import static dev.forger.service.api.GenerateApiTest.problem;
import static dev.forger.service.api.ScoreApiTest.encode;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.forger.service.fixture.NpyFiles;
import dev.forger.service.fixture.RealDigits;
import dev.forger.service.fixture.TestBundles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code resize=pad}: real 28x28 MNIST digits framed in 32x32 as the trainer frames them, scored by the
 * embedded mnist-dcgan (the model trained on exactly those digits).
 */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class ScorePaddingApiTest {
    private static final String MNIST = "/api/v1/score?model=mnist-dcgan";
    private static List<byte[]> digits;

    @BeforeAll
    static void readDigits() {
        digits = RealDigits.firstOfEachDigit(6);
    }

    @Test
    void aPaddedDigitScoresExactlyAsTheTrainerFramedItWouldScore() throws IOException {
        for (int i = 0; i < digits.size(); i += 7) { // about one of each digit
            byte[] digit = digits.get(i);
            double padded = logit(given().contentType("image/png").body(png(digit, 28, 0))
                    .post(MNIST + "&resize=pad"));
            // the trainer's MnistPadding: a 2-pixel black border around the 28x28 digit
            double framed = logit(given().contentType("image/png").body(png(digit, 32, 2)).post(MNIST));
            assertThat(padded).as("digit image %d", i).isCloseTo(framed, within(1e-6));
        }
    }

    @Test
    void realDigitsScoreMoreRealPaddedThanRescaledAndMoreThanGeneratedOnes() {
        byte[] batch = npyUint8(digits);
        double padded = meanProbability(given().contentType("application/x-npy").body(batch)
                .post(MNIST + "&resize=pad"));
        double scaled = meanProbability(given().contentType("application/x-npy").body(batch)
                .post(MNIST + "&resize=scale"));
        double scaledAsTrue = meanProbability(given().contentType("application/x-npy").body(batch)
                .post(MNIST + "&resize=true"));
        byte[] generated = given().get("/api/v1/generate?model=mnist-dcgan&count=" + digits.size()
                + "&seed=11&format=npy").then().statusCode(200).extract().asByteArray();
        double fake = meanProbability(given().contentType("application/x-npy").body(generated).post(MNIST));

        assertThat(scaledAsTrue).isEqualTo(scaled);
        // measured with the committed bundle on these 60 digits: padded ~0.28, rescaled ~0.15, generated ~0.15
        assertThat(padded).as("padded vs rescaled").isGreaterThan(scaled + 0.05);
        assertThat(padded).as("padded real vs generated").isGreaterThan(fake + 0.05);
    }

    @Test
    void padRefusesImagesLargerThanTheModelAndUnknownModesAreNamed() throws IOException {
        byte[] big = encode(new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY), "png");
        problem(given().contentType("image/png").body(big).post("/api/v1/score?resize=pad"), 422,
                "wrong-image-size", "body", "larger than the model's 32x32");
        problem(given().contentType("image/png").body(big).post("/api/v1/score?resize=crop"), 400,
                "invalid-parameter", "resize", "pad");
        given().contentType("image/png").body(big).post("/api/v1/score?resize=scale").then().statusCode(200);
    }

    @Test
    void multipartTakesResizePadAsAFormField() throws IOException {
        byte[] digit = png(digits.get(0), 28, 0);
        double viaForm = given().multiPart("image", "d.png", digit, "image/png").multiPart("resize", "pad")
                .multiPart("model", "mnist-dcgan").post("/api/v1/score").then().statusCode(200)
                .extract().jsonPath().getDouble("results[0].logit");
        double viaBody = logit(given().contentType("image/png").body(digit).post(MNIST + "&resize=pad"));
        assertThat(viaForm).isCloseTo(viaBody, within(1e-6));
    }

    private static double logit(Response r) {
        return r.then().statusCode(200).extract().jsonPath().getDouble("results[0].logit");
    }

    private static double meanProbability(Response r) {
        List<Float> p = r.then().statusCode(200).extract().jsonPath().getList("results.realProbability", Float.class);
        return p.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    }

    /** A grey PNG of {@code side} x {@code side} with the 28x28 digit at ({@code border}, {@code border}). */
    private static byte[] png(byte[] digit, int side, int border) throws IOException {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < RealDigits.SIDE; y++) {
            System.arraycopy(digit, y * RealDigits.SIDE, pixels, (y + border) * side + border, RealDigits.SIDE);
        }
        return encode(image, "png");
    }

    /** uint8 [N, 28, 28]. */
    private static byte[] npyUint8(List<byte[]> images) {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        images.forEach(pixels::writeBytes);
        return NpyFiles.npy("|u1", "(" + images.size() + ", 28, 28)", pixels.toByteArray());
    }
}
