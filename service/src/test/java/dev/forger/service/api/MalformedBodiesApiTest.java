package dev.forger.service.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.fixture.TestBundles;
import dev.forger.service.imaging.DecoderPropertiesTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded generators of broken multipart forms and JSON bodies, sent to the running service: every answer is a
 * success or a problem+json 4xx (never a 5xx, never a hang), and the service keeps serving. Multipart is parsed
 * by Quarkus REST before Forger sees a part, so this is where its edge cases meet Forger's mappers.
 */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class MalformedBodiesApiTest {
    static final int BODIES = 150;
    private static final List<String> JSON_PATHS = List.of("/api/v1/generate", "/api/v1/generate/walk",
            "/api/v1/generate/arithmetic", "/api/v1/evaluate", "/api/v1/attack?space=latent&method=fgsm");
    private static final List<String> JSON_PIECES = List.of("{", "}", "[", "]", ",", ":", "\"count\"", "\"seed\"",
            "\"latents\"", "\"points\"", "\"attacks\"", "\"epsilons\"", "\"format\"", "\"plus\"", "\"minus\"", "1",
            "-1", "0", "1e309", "-9223372036854775809", "3.5", "null", "true", "\"npy\"", "\"fgsm\"", "\"x\"",
            "\"\\ud800\"", "[[0.5, 0.1]]", "{\"seed\": 3}", " ", "\u0000");

    @Test
    void brokenMultipartFormsAreClientProblems() {
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < BODIES; i++) {
            String boundary = random.nextInt(5) == 0 ? "" : "b" + Long.toHexString(random.nextLong());
            byte[] body = multipart(random, boundary);
            String contentType = switch (random.nextInt(4)) {
                case 0 -> "multipart/form-data";
                case 1 -> "multipart/form-data; boundary=\"" + boundary + "\"";
                default -> "multipart/form-data; boundary=" + (random.nextInt(8) == 0 ? "other" : boundary);
            };
            String path = random.nextBoolean() ? "/api/v1/score" : "/api/v1/attack?method=fgsm";
            check(given().contentType(contentType).body(body).post(path), "multipart #" + i);
        }
        serving();
    }

    @Test
    void brokenJsonBodiesAreClientProblems() {
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < BODIES; i++) {
            StringBuilder json = new StringBuilder();
            int pieces = random.nextInt(30);
            for (int p = 0; p < pieces; p++) {
                json.append(JSON_PIECES.get(random.nextInt(JSON_PIECES.size())));
            }
            String path = JSON_PATHS.get(random.nextInt(JSON_PATHS.size()));
            check(given().contentType("application/json").body(json.toString().getBytes(StandardCharsets.UTF_8))
                    .post(path), "json #" + i + " to " + path + ": " + json);
        }
        serving();
    }

    private static void check(Response r, String what) {
        int status = r.statusCode();
        assertThat(status).as(what).isLessThan(500);
        if (status >= 400) {
            assertThat(r.contentType()).as(what).startsWith("application/problem+json");
            assertThat(r.jsonPath().getString("detail")).as(what).isNotBlank();
        }
    }

    private static void serving() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/api/v1/generate?count=1&seed=3").then().statusCode(200);
    }

    /** A form whose parts may lack headers, names, their end, or carry images, junk or nothing. */
    private static byte[] multipart(SplittableRandom random, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int parts = random.nextInt(5);
        for (int p = 0; p < parts; p++) {
            write(out, (random.nextInt(10) == 0 ? "" : "--" + boundary) + "\r\n");
            if (random.nextInt(6) != 0) {
                String name = random.nextInt(4) == 0 ? "other" : "image";
                write(out, "Content-Disposition: form-data; name=\"" + name + "\""
                        + (random.nextBoolean() ? "; filename=\"d" + p + ".png\"" : "") + "\r\n");
            }
            if (random.nextBoolean()) {
                write(out, "Content-Type: " + List.of("image/png", "application/x-npy", "text/plain",
                        "application/octet-stream", "image/gif").get(random.nextInt(5)) + "\r\n");
            }
            write(out, "\r\n");
            switch (random.nextInt(4)) {
                case 0 -> out.writeBytes(DecoderPropertiesTest.randomPng(random));
                case 1 -> out.writeBytes(DecoderPropertiesTest.randomNpy(random));
                case 2 -> {
                    byte[] junk = new byte[random.nextInt(512)];
                    random.nextBytes(junk);
                    out.writeBytes(junk);
                }
                default -> { }
            }
            write(out, "\r\n");
        }
        if (random.nextInt(4) != 0) {
            write(out, "--" + boundary + "--\r\n");
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
