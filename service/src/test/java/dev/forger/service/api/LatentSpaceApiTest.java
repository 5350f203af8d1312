package dev.forger.service.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.forger.service.fixture.TestBundles;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.NpyReader;
import dev.forger.service.imaging.Pixels;
import dev.forger.service.inference.LatentSampler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

/** Latent walks and latent arithmetic (Radford et al. 2015, section 6) on /generate/walk and /generate/arithmetic. */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class LatentSpaceApiTest {
    static final String WALK = "/api/v1/generate/walk";
    static final String ARITHMETIC = "/api/v1/generate/arithmetic";
    static final dev.forger.graph.manifest.BundleManifest.Latent UNIFORM_100 =
            dev.forger.graph.manifest.BundleManifest.Latent.uniform(100, -1, 1);

    @Test
    void aLinearWalkStartsAndEndsOnTheSeedsImagesBitForBit() {
        ImageBatch walk = npy(post(WALK, Map.of("points", List.of(3, Map.of("seed", 8, "index", 5)), "steps", 5,
                "interpolation", "linear", "format", "npy")));
        assertThat(walk.count()).isEqualTo(5);
        assertThat(walk.image(0)).containsExactly(image("seed=3"));
        assertThat(walk.image(4)).containsExactly(image("seed=8&offset=5"));
        assertThat(walk.image(2)).isNotEqualTo(walk.image(0)).isNotEqualTo(walk.image(4));
    }

    @Test
    void aSphericalWalkPassesThroughItsPointsAndKeepsTheNorm() {
        ImageBatch walk = npy(post(WALK, Map.of("points", List.of(1, 2, 1), "steps", 4, "format", "npy")));
        assertThat(walk.count()).isEqualTo(8); // two segments of four
        float[] one = image("seed=1");
        for (int i = 0; i < one.length; i++) {
            assertThat(walk.image(0)[i]).isCloseTo(one[i], org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(walk.image(7)[i]).isCloseTo(one[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
        assertThat(walk.image(3)).containsExactly(walk.image(4)); // a segment ends where the next begins
    }

    @Test
    void aWalkGridHasOneRowPerSegment() throws IOException {
        Response r = post(WALK, Map.of("points", List.of(3, 8, 21), "steps", 8));
        r.then().statusCode(200).contentType("image/png").header("X-Forger-Segments", "2");
        BufferedImage grid = ImageIO.read(new ByteArrayInputStream(r.asByteArray()));
        assertThat(grid.getWidth()).isEqualTo(8 * 32 + 9 * 2);
        assertThat(grid.getHeight()).isEqualTo(2 * 32 + 3 * 2);
        BufferedImage scaled = ImageIO.read(new ByteArrayInputStream(post(WALK, Map.of("points", List.of(3, 8),
                "steps", 2, "scale", 3)).asByteArray()));
        assertThat(scaled.getWidth()).isEqualTo(2 * 96 + 3 * 2);
    }

    @Test
    void aWalkGifHoldsEveryImageOnceAndLoops() throws IOException {
        Response r = post(WALK, Map.of("points", List.of(3, 8, 21), "steps", 6, "format", "gif", "frameMillis", 50));
        r.then().statusCode(200).contentType("image/gif");
        byte[] gif = r.asByteArray();
        assertThat(new String(gif, 0, 6, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
        assertThat(new String(gif, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("NETSCAPE2.0");
        ImageBatch images = npy(post(WALK, Map.of("points", List.of(3, 8, 21), "steps", 6, "format", "npy")));
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(11); // 6 + 6 - the shared middle point
            BufferedImage last = reader.read(10);
            float[] expected = images.image(11);
            for (int i = 0; i < expected.length; i++) {
                assertThat(last.getRaster().getSample(i % 32, i / 32, 0)).isEqualTo(Pixels.toPixel(expected[i]));
            }
        } finally {
            reader.dispose();
        }
    }

    @Test
    void arithmeticIsTheSumOfConceptMeansAndItsImageIsTheGeneratorsOfThatLatent() {
        float[] z3 = latent(3);
        float[] z5 = latent(5);
        float[] z8a = latent(8);
        float[] z8b = LatentSampler.sample(UNIFORM_100, 8, 1, 1);
        float[] expected = new float[100];
        for (int i = 0; i < 100; i++) {
            float minusMean = (float) (((double) z8a[i] + z8b[i]) / 2); // each concept's mean is a float32 latent
            expected[i] = (float) ((double) z3[i] + z5[i] - minusMean);
        }
        ImageBatch result = npy(post(ARITHMETIC, Map.of("plus", List.of(List.of(3), List.of(5)),
                "minus", List.of(List.of(8, Map.of("seed", 8, "index", 1))), "variations", 3, "seed", 4,
                "format", "npy")));
        assertThat(result.count()).isEqualTo(4);
        ImageBatch direct = npy(given().contentType(ContentType.JSON).body(Map.of("latents", List.of(expected),
                "format", "npy")).post("/api/v1/generate"));
        assertThat(result.image(0)).containsExactly(direct.image(0));
        assertThat(result.image(1)).isNotEqualTo(result.image(0)).isNotEqualTo(result.image(2));
        ImageBatch again = npy(post(ARITHMETIC, Map.of("plus", List.of(List.of(3), List.of(5)),
                "minus", List.of(List.of(8, Map.of("seed", 8, "index", 1))), "variations", 3, "seed", 4,
                "format", "npy")));
        assertThat(again.data()).containsExactly(result.data());
    }

    @Test
    void anArithmeticGridShowsEachConceptAndTheResult() throws IOException {
        double before = Metrics.value("forger_generation_images_total", "path=\"" + ARITHMETIC + "\"", "format=\"grid\"");
        Response r = post(ARITHMETIC, Map.of("plus", List.of(List.of(1, 2, 3), List.of(4, 5, 6)),
                "minus", List.of(List.of(7, 8, 9))));
        r.then().statusCode(200).contentType("image/png");
        BufferedImage grid = ImageIO.read(new ByteArrayInputStream(r.asByteArray()));
        assertThat(grid.getHeight()).isEqualTo(4 * 32 + 5 * 2); // three concepts and the result
        assertThat(grid.getWidth()).isEqualTo(16 + 8 * 32 + 9 * 2); // labels; the result and 7 variations
        assertThat(Metrics.value("forger_generation_images_total", "path=\"" + ARITHMETIC + "\"", "format=\"grid\""))
                .isEqualTo(before + 3 * 4 + 8);
        byte[] alone = post(ARITHMETIC, Map.of("plus", List.of(List.of(1)), "format", "png", "scale", 2)).asByteArray();
        assertThat(alone).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void mistakesAreProblemsNamingTheField() {
        GenerateApiTest.problem(post(WALK, Map.of("points", List.of(3))), 400, "invalid-parameter", "points", "2 to 16");
        GenerateApiTest.problem(post(WALK, Map.of("points", List.of(3, 4), "steps", 1)), 400, "invalid-parameter",
                "steps", "from 2 to 64");
        GenerateApiTest.problem(post(WALK, Map.of("points", List.of(3, List.of(0.1, 0.2)))), 400, "invalid-parameter",
                "points[1]", "vectors of 100");
        GenerateApiTest.problem(post(WALK, Map.of("points", List.of(3, "seven"))), 400, "malformed-json",
                "points[1]", "a point is a seed");
        GenerateApiTest.problem(post(WALK, Map.of("points", List.of(3, Map.of("seed", 1, "idx", 2)))), 400,
                "malformed-json", "points[1]", "unknown field 'idx'");
        GenerateApiTest.problem(post(WALK, Map.of("points", List.of(3, 4), "interpolation", "cubic")), 400,
                "invalid-parameter", "interpolation", "linear, spherical");
        GenerateApiTest.problem(post(WALK, Map.of("points", List.of(3, 4), "format", "png")), 400,
                "invalid-parameter", "format", "grid, a gif or an npy");
        GenerateApiTest.problem(post(ARITHMETIC, Map.of("minus", List.of(List.of(3)))), 400, "missing-body", "plus",
                "at least one concept");
        GenerateApiTest.problem(post(ARITHMETIC, Map.of("plus", List.of(List.of()))), 400, "invalid-parameter",
                "plus[0]", "1 to 16 points");
        GenerateApiTest.problem(post(ARITHMETIC, Map.of("plus", List.of(List.of(1)), "format", "gif")), 400,
                "invalid-parameter", "format", "/generate/walk");
        given().contentType(ContentType.JSON).accept("image/gif").body(Map.of("points", List.of(1, 2)))
                .post(WALK).then().statusCode(200).contentType("image/gif"); // Accept decides without format
    }

    static Response post(String path, Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }

    static ImageBatch npy(Response r) {
        r.then().statusCode(200).contentType("application/x-npy");
        return NpyReader.read(r.asByteArray(), 1000);
    }

    static float[] image(String query) {
        return NpyReader.read(given().get("/api/v1/generate?format=npy&" + query).then().statusCode(200).extract()
                .asByteArray(), 1).image(0);
    }

    /** Sample 0 of the seed: tiny-dcgan's latents are uniform [-1, 1] of dimension 100. */
    static float[] latent(long seed) {
        return LatentSampler.sample(UNIFORM_100, seed, 0, 1);
    }
}
