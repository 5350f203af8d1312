package dev.forger.service.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.fixture.TestBundles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The mistakes people make, sent to every endpoint: misspelled parameters, values of the wrong type, bodies
 * whose Content-Type does not fit the endpoint or the bytes, curl's usual traps. None may get a 2xx (nothing
 * silently done instead of what was asked) or a 5xx; each gets a problem document whose detail names the fix,
 * and the service keeps serving.
 */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class MistakesCorpusApiTest {
    private static byte[] digitPng;

    /** One mistake: what is sent, the status expected, and the words of the fix the detail must hold. */
    record Mistake(String name, Supplier<Response> send, int status, String slug, String fix) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> mistakes() {
        List<Mistake> all = new ArrayList<>();
        // GET /api/v1/models
        all.add(get("models: any query parameter", "/api/v1/models?verbose=true", 400, "unknown-parameter",
                "takes no query parameters"));
        all.add(new Mistake("models: DELETE", () -> given().delete("/api/v1/models"), 405, "method-not-allowed",
                "it answers GET"));
        all.add(new Mistake("score: GET", () -> given().get("/api/v1/score"), 405, "method-not-allowed",
                "it answers POST"));
        // GET /api/v1/generate
        all.add(get("generate: cnt for count", "/api/v1/generate?cnt=4&format=grid", 400, "unknown-parameter",
                "did you mean 'count'"));
        all.add(get("generate: fromat for format", "/api/v1/generate?count=4&fromat=grid", 400, "unknown-parameter",
                "did you mean 'format'"));
        all.add(get("generate: Count in capitals", "/api/v1/generate?Count=4", 400, "unknown-parameter",
                "did you mean 'count'"));
        all.add(get("generate: count not a number", "/api/v1/generate?count=many", 400, "invalid-parameter",
                "whole number"));
        all.add(get("generate: seed not a number", "/api/v1/generate?seed=abc", 400, "invalid-parameter",
                "whole number"));
        all.add(get("generate: unknown format", "/api/v1/generate?count=2&format=gif", 400, "invalid-parameter",
                "grid"));
        // POST /api/v1/generate
        all.add(json("generate: cnt in JSON", "/api/v1/generate", "{\"cnt\": 2}", 400, "malformed-json",
                "did you mean 'count'"));
        all.add(json("generate: count as text in JSON", "/api/v1/generate", "{\"count\": \"many\"}", 400,
                "malformed-json", "count must be a whole number, got 'many'"));
        all.add(json("generate: JSON body with a query parameter", "/api/v1/generate?count=2", "{\"seed\": 1}", 400,
                "unknown-parameter", "in the JSON body"));
        all.add(body("generate: text/plain", "/api/v1/generate", "text/plain", "count=2".getBytes(), 415,
                "unsupported-media-type", "application/json"));
        all.add(body("generate: curl -d without a Content-Type", "/api/v1/generate",
                "application/x-www-form-urlencoded", "{\"count\":2}".getBytes(), 415, "unsupported-media-type",
                "-H 'Content-Type: application/json'"));
        // POST /api/v1/score
        all.add(png("score: resise for resize", "/api/v1/score?resise=pad", "image/png", 400, "unknown-parameter",
                "did you mean 'resize'"));
        all.add(png("score: Model in capitals", "/api/v1/score?Model=" + TestBundles.DEFAULT, "image/png", 400,
                "unknown-parameter", "did you mean 'model'"));
        all.add(png("score: resize=maybe", "/api/v1/score?resize=maybe", "image/png", 400, "invalid-parameter",
                "pad"));
        all.add(body("score: text/plain", "/api/v1/score", "text/plain", "hello".getBytes(), 415,
                "unsupported-media-type", "image/png"));
        all.add(body("score: JSON instead of an image", "/api/v1/score", "application/json", "{}".getBytes(), 415,
                "unsupported-media-type", "image/png"));
        all.add(encoded("score: a BMP labelled image/png", "/api/v1/score", "image/png", "bmp", 415,
                "content-type-mismatch", "label it image/bmp"));
        all.add(png("score: a PNG labelled image/jpeg", "/api/v1/score", "image/jpeg", 415, "content-type-mismatch",
                "label it image/png"));
        all.add(mangled("score: curl -d @one.png -H 'Content-Type: image/png'", "/api/v1/score", "image/png",
                415, "not-an-image", "--data-binary"));
        all.add(mangled("score: curl -d @one.png", "/api/v1/score", "application/x-www-form-urlencoded", 415,
                "unsupported-media-type", "--data-binary"));
        all.add(new Mistake("score: a multipart part labelled text/plain", () -> given()
                .multiPart("image", "a.txt", digitPng(), "text/plain").post("/api/v1/score"), 415,
                "unsupported-media-type", "image/png"));
        all.add(new Mistake("score: a multipart part named imgae", () -> given()
                .multiPart("imgae", "a.png", digitPng(), "image/png").post("/api/v1/score"), 400, "missing-body",
                "part named 'image'"));
        // POST /api/v1/attack
        all.add(png("attack: eps for epsilon", "/api/v1/attack?method=pgd&eps=0.5", "image/png", 400,
                "unknown-parameter", "did you mean 'epsilon'"));
        all.add(png("attack: methd for method", "/api/v1/attack?methd=pgd", "image/png", 400, "unknown-parameter",
                "did you mean 'method'"));
        all.add(png("attack: stepsize for stepSize", "/api/v1/attack?method=pgd&stepsize=0.01", "image/png", 400,
                "unknown-parameter", "did you mean 'stepSize'"));
        all.add(png("attack: no method", "/api/v1/attack?epsilon=0.03", "image/png", 400, "invalid-parameter",
                "method is required"));
        all.add(png("attack: epsilon not a number", "/api/v1/attack?method=pgd&epsilon=abc", "image/png", 400,
                "invalid-parameter", "must be a number"));
        all.add(png("attack: steps not whole", "/api/v1/attack?method=pgd&steps=1.5", "image/png", 400,
                "invalid-parameter", "whole number"));
        all.add(png("attack: quantize=maybe", "/api/v1/attack?method=fgsm&quantize=maybe", "image/png", 400,
                "invalid-parameter", "true or false"));
        all.add(png("attack: skipAtGoal=maybe", "/api/v1/attack?method=fgsm&skipAtGoal=maybe", "image/png", 400,
                "invalid-parameter", "true or false"));
        all.add(png("attack: norm=l3", "/api/v1/attack?method=pgd&norm=l3", "image/png", 400, "invalid-parameter",
                "linf or l2"));
        all.add(body("attack: text/plain", "/api/v1/attack?method=fgsm", "text/plain", "hello".getBytes(), 415,
                "unsupported-media-type", "image/png"));
        all.add(encoded("attack: a GIF labelled image/png", "/api/v1/attack?method=fgsm", "image/png", "gif", 415,
                "content-type-mismatch", "label it image/gif"));
        all.add(new Mistake("attack: a zip as octet-stream", () -> given().contentType("application/octet-stream")
                .body(zipOf(digitPng())).post("/api/v1/attack?method=fgsm"), 415, "unsupported-media-type",
                "multipart/form-data parts"));
        // POST /api/v1/evaluate (JSON)
        all.add(json("evaluate: attacks as one string", "/api/v1/evaluate", "{\"attacks\": \"fgsm\"}", 400,
                "malformed-json", "attacks must be an array, got a string"));
        all.add(json("evaluate: eps in an attack", "/api/v1/evaluate",
                "{\"count\": 2, \"attacks\": [{\"method\": \"pgd\", \"eps\": 0.1}]}", 400, "malformed-json",
                "did you mean 'epsilon'"));
        all.add(json("evaluate: an epsilon as text", "/api/v1/evaluate", "{\"epsilons\": [0.01, \"big\"]}", 400,
                "malformed-json", "epsilons[1] must be a number"));
        all.add(json("evaluate: an attack without method", "/api/v1/evaluate",
                "{\"count\": 2, \"attacks\": [{\"steps\": 5}]}", 400, "invalid-parameter", "method is required"));
        all.add(json("evaluate: JSON with a query parameter", "/api/v1/evaluate?count=4", "{\"seed\": 1}", 400,
                "unknown-parameter", "in the JSON body"));
        // POST /api/v1/evaluate (upload)
        all.add(png("evaluate: a PNG", "/api/v1/evaluate", "image/png", 415, "unsupported-media-type",
                "application/zip"));
        all.add(png("evaluate: a PNG as octet-stream", "/api/v1/evaluate", "application/octet-stream", 415,
                "unsupported-media-type", "Zip the images"));
        all.add(zip("evaluate: atacks for attacks", "/api/v1/evaluate?atacks=fgsm", 400, "unknown-parameter",
                "did you mean 'attacks'"));
        all.add(zip("evaluate: epsilons not numbers", "/api/v1/evaluate?epsilons=small,big", 400,
                "invalid-parameter", "must be a number"));
        all.add(zip("evaluate: seed not a number", "/api/v1/evaluate?seed=x", 400, "invalid-parameter",
                "whole number"));
        all.add(zip("evaluate: goal=maybe", "/api/v1/evaluate?goal=maybe", 400, "invalid-parameter", "flip"));
        // GET, DELETE /api/v1/evaluate/{id}
        all.add(get("evaluation: a query parameter", "/api/v1/evaluate/abc?verbose=1", 400, "unknown-parameter",
                "takes no query parameters"));
        all.add(get("evaluation: no such job", "/api/v1/evaluate/abc", 404, "not-found", "retention"));
        // GET /api/v1/evaluations
        all.add(get("evaluations: limt=5", "/api/v1/evaluations?limt=5", 400, "unknown-parameter", "limit"));
        all.add(get("evaluations: state=done", "/api/v1/evaluations?state=done", 400, "invalid-parameter", "succeeded"));
        all.add(get("evaluations: limit=all", "/api/v1/evaluations?limit=all", 400, "invalid-parameter", "'all'"));
        all.add(get("evaluation chart: a query parameter", "/api/v1/evaluate/abc/chart?format=svg", 400,
                "unknown-parameter", "takes no query parameters"));
        all.add(new Mistake("evaluation delete: a query parameter", () -> given()
                .delete("/api/v1/evaluate/abc?force=true"), 400, "unknown-parameter", "takes no query parameters"));
        return all.stream().map(m -> Arguments.of(m));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeIsRefusedWithTheFix(Mistake mistake) {
        Response r = mistake.send().get();
        String body = r.asString();
        assertThat(r.statusCode()).as("%s: %s", mistake, body).isBetween(400, 499).isEqualTo(mistake.status());
        assertThat(r.contentType()).as(mistake.name()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("type")).as(body).isEqualTo("urn:forger:problem:" + mistake.slug());
        assertThat(r.jsonPath().getString("detail")).as(mistake.name()).contains(mistake.fix());
        assertThat(body).as(mistake.name()).doesNotContain("at dev.forger", "dev.forger.service", "java.lang");
    }

    @Test
    void theServiceStillServesAfterTheMistakes() {
        mistakes().forEach(arguments -> ((Mistake) arguments.get()[0]).send().get());
        given().contentType("image/png").body(digitPng()).post("/api/v1/score").then().statusCode(200);
        given().get("/api/v1/generate?count=2&format=npy").then().statusCode(200);
    }

    private static Mistake get(String name, String path, int status, String slug, String fix) {
        return new Mistake(name, () -> given().get(path), status, slug, fix);
    }

    private static Mistake json(String name, String path, String json, int status, String slug, String fix) {
        return new Mistake(name, () -> given().contentType(ContentType.JSON).body(json).post(path), status, slug, fix);
    }

    private static Mistake body(String name, String path, String type, byte[] bytes, int status, String slug,
                                String fix) {
        return new Mistake(name, () -> send(type, bytes, path), status, slug, fix);
    }

    /** RestAssured encodes form bodies itself and takes only text for them: ISO-8859-1 keeps every byte. */
    private static Response send(String type, byte[] bytes, String path) {
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return given().contentType(type + "; charset=ISO-8859-1")
                    .body(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).post(path);
        }
        return given().contentType(type).body(bytes).post(path);
    }

    private static Mistake png(String name, String path, String type, int status, String slug, String fix) {
        return new Mistake(name, () -> given().contentType(type).body(digitPng()).post(path), status, slug, fix);
    }

    /** The digit re-encoded by ImageIO in another format. */
    private static Mistake encoded(String name, String path, String type, String format, int status, String slug,
                                   String fix) {
        return new Mistake(name, () -> given().contentType(type).body(reencoded(format)).post(path), status, slug,
                fix);
    }

    /** The digit as {@code curl -d @one.png} sends it: every CR and LF byte dropped. */
    private static Mistake mangled(String name, String path, String type, int status, String slug, String fix) {
        return new Mistake(name, () -> send(type, withoutLineBreaks(digitPng()), path), status, slug, fix);
    }

    private static Mistake zip(String name, String path, int status, String slug, String fix) {
        return new Mistake(name, () -> given().contentType("application/zip").body(zipOf(digitPng())).post(path),
                status, slug, fix);
    }

    static synchronized byte[] digitPng() {
        if (digitPng == null) {
            digitPng = given().get("/api/v1/generate?count=1&seed=4").then().statusCode(200).extract().asByteArray();
        }
        return digitPng;
    }

    static byte[] withoutLineBreaks(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : bytes) {
            if (b != '\n' && b != '\r') {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    static byte[] reencoded(String format) {
        try {
            BufferedImage grey = ImageIO.read(new java.io.ByteArrayInputStream(digitPng()));
            BufferedImage rgb = new BufferedImage(grey.getWidth(), grey.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            rgb.getGraphics().drawImage(grey, 0, 0, null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(rgb, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] zipOf(byte[] png) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.putNextEntry(new ZipEntry("one.png"));
                zip.write(png);
                zip.closeEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
