package dev.forger.service.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.forger.service.fixture.TestBundles;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.NpyReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class GenerateApiTest {
    static BufferedImage png(byte[] bytes) throws IOException {
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void oneImageIsAPngOfTheModelsSize() throws IOException {
        Response r = given().get("/api/v1/generate?count=1&seed=7");
        r.then().statusCode(200).contentType("image/png").header("X-Forger-Seed", "7")
                .header("X-Forger-Model", TestBundles.DEFAULT);
        BufferedImage image = png(r.asByteArray());
        assertThat(image.getWidth()).isEqualTo(32);
        assertThat(image.getHeight()).isEqualTo(32);
        assertThat(image.getColorModel().getNumComponents()).isEqualTo(1);
    }

    @Test
    void sixtyFourMakeAnEightByEightGrid() throws IOException {
        Response r = given().get("/api/v1/generate?count=64&format=grid");
        r.then().statusCode(200).contentType("image/png")
                .header("Content-Disposition", containsString("-grid.png"));
        BufferedImage grid = png(r.asByteArray());
        assertThat(grid.getWidth()).isEqualTo(8 * 32 + 9 * 2);
        assertThat(grid.getHeight()).isEqualTo(8 * 32 + 9 * 2);
    }

    @Test
    void theSameSeedGivesTheSameImagesBitForBit() {
        byte[] first = given().get("/api/v1/generate?count=9&seed=42&format=npy").asByteArray();
        byte[] again = given().get("/api/v1/generate?count=9&seed=42&format=npy").asByteArray();
        byte[] other = given().get("/api/v1/generate?count=9&seed=43&format=npy").asByteArray();
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        // and an image does not depend on the company it is generated in
        ImageBatch nine = NpyReader.read(first, 64);
        ImageBatch one = NpyReader.read(given().get("/api/v1/generate?count=1&seed=42&format=npy").asByteArray(), 64);
        assertThat(one.data()).containsExactly(nine.image(0));
    }

    @Test
    void npyIsFloat32NchwInRange() {
        Response r = given().get("/api/v1/generate?count=3&seed=1&format=npy");
        r.then().statusCode(200).contentType("application/x-npy")
                .header("Content-Disposition", containsString("attachment"));
        ImageBatch batch = NpyReader.read(r.asByteArray(), 64); // also checks finite and in [-1, 1]
        assertThat(batch.count()).isEqualTo(3);
        assertThat(batch.shape().toString()).isEqualTo("1x32x32");
    }

    @Test
    void zipHoldsOnePngPerImage() throws IOException {
        byte[] zip = given().get("/api/v1/generate?count=3&seed=5&format=zip").then().statusCode(200)
                .contentType("application/zip").extract().asByteArray();
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
                assertThat(png(in.readAllBytes()).getWidth()).isEqualTo(32);
            }
        }
        assertThat(names).containsExactly("tiny-dcgan-5-00000000.png", "tiny-dcgan-5-00000001.png",
                "tiny-dcgan-5-00000002.png");
    }

    @Test
    void jsonCarriesPngsAndLatentsThatReproduceTheImages() throws IOException {
        Response r = given().contentType(ContentType.JSON)
                .body(Map.of("model", TestBundles.DEFAULT, "count", 2, "seed", 7, "format", "json"))
                .post("/api/v1/generate");
        r.then().statusCode(200).contentType(ContentType.JSON).body("model", equalTo(TestBundles.DEFAULT))
                .body("seed", equalTo(7)).body("images", hasSize(2)).body("images[1].index", equalTo(1))
                .body("images[0].latent", hasSize(100));
        List<List<Float>> latents = r.jsonPath().getList("images.latent");
        for (List<Float> z : latents) {
            assertThat(z).allSatisfy(v -> assertThat(v).isBetween(-1f, 1f)); // uniform [-1, 1] per the manifest
        }
        byte[] png0 = Base64.getDecoder().decode(r.jsonPath().getString("images[0].png"));
        assertThat(png(png0).getWidth()).isEqualTo(32);

        // explicit latents give exactly the images of the seed they came from
        byte[] replayed = given().contentType(ContentType.JSON)
                .body(Map.of("latents", List.of(latents.get(0)), "format", "png")).post("/api/v1/generate")
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        assertThat(replayed).isEqualTo(png0);
    }

    @Test
    void theZippedBundleServesToo() {
        given().get("/api/v1/generate?model=" + TestBundles.ZIPPED + "&seed=1").then().statusCode(200)
                .header("X-Forger-Model", TestBundles.ZIPPED);
    }

    @Test
    void badParametersAreProblemsNamingTheField() {
        problem(given().get("/api/v1/generate?count=0"), 400, "invalid-parameter", "count", "from 1 to 10000000");
        problem(given().get("/api/v1/generate?count=257"), 400, "invalid-parameter", "count", "max-count");
        problem(given().get("/api/v1/generate?count=many"), 400, "invalid-parameter", "count", "'many'");
        problem(given().get("/api/v1/generate?seed=x"), 400, "invalid-parameter", "seed", "64-bit");
        problem(given().get("/api/v1/generate?format=gif"), 400, "invalid-parameter", "format", "grid");
        problem(given().get("/api/v1/generate?count=2&format=png"), 400, "invalid-parameter", "format", "count=1");
        problem(given().get("/api/v1/generate?model=nope"), 404, "unknown-model", "model", "tiny-dcgan");
        problem(given().contentType(ContentType.JSON).body(Map.of("latents", List.of(List.of(0.1, 0.2))))
                .post("/api/v1/generate"), 400, "invalid-parameter", "latents[0]", "vectors of 100");
        problem(given().contentType(ContentType.JSON).body("{\"count\": 2,").post("/api/v1/generate"),
                400, "malformed-json", null, "JSON");
        problem(given().contentType(ContentType.JSON).body("{\"count\": \"two\"}").post("/api/v1/generate"),
                400, "malformed-json", "count", "JSON");
    }

    static void problem(Response r, int status, String slug, String field, String detailPart) {
        r.then().statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("urn:forger:problem:" + slug)).body("status", equalTo(status))
                .body("title", org.hamcrest.Matchers.notNullValue())
                .body("detail", containsString(detailPart))
                .body("field", equalTo(field))
                .body(org.hamcrest.Matchers.not(containsString("at dev.forger")));
    }
}
