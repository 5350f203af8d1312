package dev.forger.service.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.forger.service.fixture.RealTools;
import dev.forger.service.fixture.TestBundles;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.NpyReader;
import dev.forger.service.imaging.Pixels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** npy, zip and tar streams of /generate: any count, resumable by offset, in constant memory. */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class GenerateStreamApiTest {
    static final String MODEL = "model=\"" + TestBundles.DEFAULT + "\"";
    static final int IMAGE_BYTES = 4 * 32 * 32;
    static final int BATCH = 64; // forger.batching.max-batch-size

    @Test
    void offsetSlicesAreTheRowsOfTheWholeStreamBitForBit() {
        byte[] whole = npy("count=1000&seed=11");
        ImageBatch all = NpyReader.read(whole, 1000);
        ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
        long[][] slices = {{0, 333}, {333, 64}, {397, 1}, {398, 602}};
        for (long[] slice : slices) {
            ImageBatch part = NpyReader.read(npy("seed=11&offset=" + slice[0] + "&count=" + slice[1]), 1000);
            assertThat(part.count()).isEqualTo((int) slice[1]);
            for (int i = 0; i < part.count(); i++) {
                assertThat(part.image(i)).as("sample %d", slice[0] + i).containsExactly(all.image((int) slice[0] + i));
            }
            concatenated.writeBytes(java.util.Arrays.copyOfRange(NpyReaderBytes.data(npy("seed=11&offset=" + slice[0]
                    + "&count=" + slice[1])), 0, (int) slice[1] * IMAGE_BYTES));
        }
        assertThat(concatenated.toByteArray()).isEqualTo(NpyReaderBytes.data(whole));
        // the formats held whole follow the same sequence: the grid's neighbour in json is sample 700
        Response json = given().get("/api/v1/generate?seed=11&offset=700&count=2&format=json");
        json.then().statusCode(200).body("images[0].index", equalTo(700)).header("X-Forger-Offset", "700");
        byte[] png700 = java.util.Base64.getDecoder().decode(json.jsonPath().getString("images[0].png"));
        assertThat(png700).isEqualTo(given().get("/api/v1/generate?seed=11&offset=700").asByteArray());
    }

    @Test
    void npyStatesItsLengthAndShapeUpFront() {
        Response r = given().get("/api/v1/generate?count=300&seed=2&format=npy");
        r.then().statusCode(200).contentType("application/x-npy").header("X-Forger-Count", "300")
                .header("Content-Length", String.valueOf(128 + 300 * IMAGE_BYTES))
                .header("Content-Disposition", containsString("tiny-dcgan-2.npy"));
        assertThat(r.getHeader("Transfer-Encoding")).isNull();
        byte[] body = r.asByteArray();
        assertThat(body).hasSize(128 + 300 * IMAGE_BYTES);
        assertThat(new String(body, 10, 118, StandardCharsets.ISO_8859_1)).contains("'shape': (300, 1, 32, 32)");
        NpyReader.read(body, 300); // finite and in [-1, 1]
        given().get("/api/v1/generate?count=5&seed=2&offset=10&format=npy").then()
                .header("Content-Disposition", containsString("tiny-dcgan-2-00000010-00000014.npy"));
    }

    @Test
    void zipStreamsOpenWithTheStandardToolsAndHoldTheStreamsImages(@TempDir Path tmp) throws IOException {
        Path zip = tmp.resolve("digits.zip");
        Files.write(zip, given().get("/api/v1/generate?count=150&seed=4&offset=50&format=zip").then().statusCode(200)
                .contentType("application/zip").extract().asByteArray());
        String unzip = RealTools.require("unzip", "unzip");
        assertThat(RealTools.run(tmp, RealTools.require("zip", "zip"), "-T", zip.toString()).orFail()).contains("OK");
        assertThat(RealTools.run(tmp, unzip, "-tq", zip.toString()).orFail()).contains("No errors");
        RealTools.run(tmp, unzip, "-q", zip.toString()).orFail();
        assertPngsAreTheNpyRows(tmp, "tiny-dcgan-4", 4, 50, 150);
    }

    @Test
    void tarStreamsUnpackWithTarAndHoldTheStreamsImages(@TempDir Path tmp) throws IOException {
        Path tar = tmp.resolve("digits.tar");
        Files.write(tar, given().accept("application/x-tar").get("/api/v1/generate?count=70&seed=9").then()
                .statusCode(200).contentType("application/x-tar").extract().asByteArray());
        String listing = RealTools.run(tmp, RealTools.require("tar", "tar"), "-xvf", tar.toString()).orFail();
        assertThat(listing.lines()).hasSize(70);
        assertPngsAreTheNpyRows(tmp, "tiny-dcgan-9", 9, 0, 70);
    }

    /** Every PNG is the npy row of its sample index, rounded to 8 bits. */
    private static void assertPngsAreTheNpyRows(Path dir, String prefix, long seed, long offset, int count)
            throws IOException {
        ImageBatch rows = NpyReader.read(npy("seed=" + seed + "&offset=" + offset + "&count=" + count), count);
        for (int i = 0; i < count; i++) {
            Path file = dir.resolve(String.format("%s-%08d.png", prefix, offset + i));
            BufferedImage image = ImageIO.read(file.toFile());
            float[] expected = rows.image(i);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    assertThat(image.getRaster().getSample(x, y, 0)).as("%s (%d, %d)", file.getFileName(), x, y)
                            .isEqualTo(Pixels.toPixel(expected[y * 32 + x]));
                }
            }
        }
    }

    @Test
    void acceptChoosesTheStreamWhenFormatIsAbsentAndFormatWins() {
        given().accept("application/x-npy").get("/api/v1/generate?count=3&seed=1").then().statusCode(200)
                .contentType("application/x-npy");
        given().accept("application/zip").get("/api/v1/generate?count=3&seed=1").then().statusCode(200)
                .contentType("application/zip");
        given().accept("application/json").get("/api/v1/generate?count=3&seed=1").then().statusCode(200)
                .contentType(ContentType.JSON).body("images.size()", equalTo(3));
        given().accept("text/html,application/xhtml+xml,*/*;q=0.8").get("/api/v1/generate?count=3&seed=1").then()
                .statusCode(200).contentType("image/png").header("Content-Disposition", containsString("-grid.png"));
        given().accept("application/x-npy;q=0.5, application/x-tar").get("/api/v1/generate?count=3&seed=1").then()
                .statusCode(200).contentType("application/x-tar");
        given().accept("application/x-npy").get("/api/v1/generate?count=3&seed=1&format=zip").then().statusCode(200)
                .contentType("application/zip");
        given().accept("image/*").get("/api/v1/generate?seed=1").then().statusCode(200).contentType("image/png")
                .header("Content-Disposition", org.hamcrest.Matchers.not(containsString("grid")));
        // and POST follows the same rule
        given().contentType(ContentType.JSON).accept("application/x-npy").body(Map.of("count", 2, "seed", 1))
                .post("/api/v1/generate").then().statusCode(200).contentType("application/x-npy");
    }

    @Test
    void limitsNameTheStreamingWayAround() {
        GenerateApiTest.problem(given().get("/api/v1/generate?count=257&format=grid"), 400, "invalid-parameter",
                "count", "npy, zip and tar stream up to 10000000");
        GenerateApiTest.problem(given().get("/api/v1/generate?count=501&format=zip"), 400, "invalid-parameter",
                "count", "format=tar streams the same PNGs");
        GenerateApiTest.problem(given().get("/api/v1/generate?count=10000001&format=npy"), 400, "invalid-parameter",
                "count", "split it with offset");
        GenerateApiTest.problem(given().get("/api/v1/generate?offset=-1&format=npy"), 400, "invalid-parameter",
                "offset", "from 0");
        GenerateApiTest.problem(given().get("/api/v1/generate?offset=2.5&format=npy"), 400, "invalid-parameter",
                "offset", "'2.5'");
        GenerateApiTest.problem(given().contentType(ContentType.JSON).body(Map.of("offset", 3, "latents",
                List.of(new float[100]))).post("/api/v1/generate"), 400, "invalid-parameter", "offset", "explicit");
        // the service still serves
        given().get("/api/v1/generate?count=2&format=npy").then().statusCode(200);
    }

    @Test
    void aSlowClientSlowsGenerationAndAHangUpStopsItWithinOneBatch() throws Exception {
        double gone = Metrics.value("forger_generation_stream_seconds_count", MODEL, "format=\"npy\"",
                "outcome=\"client-gone\"");
        double unsent = Metrics.value("forger_generation_unsent_images_total", MODEL);
        double generatedBefore = generated();
        try (Socket client = request("/api/v1/generate?count=1000000&seed=1&format=npy")) {
            InputStream in = client.getInputStream();
            assertThat(in.readNBytes(12)).asString(StandardCharsets.ISO_8859_1).isEqualTo("HTTP/1.1 200");
            assertThat(in.readNBytes(1 << 20)).hasSize(1 << 20);
            // the client stops reading: the socket buffers fill, writes block, generation must stall
            double stalled = settled(GenerateStreamApiTest::generated) - generatedBefore;
            assertThat(stalled).as("images generated while the client reads nothing more")
                    .isLessThan(20_000).isGreaterThanOrEqualTo(256);
            Thread.sleep(1000);
            assertThat(generated() - generatedBefore).isEqualTo(stalled);
        } // hang up
        awaitTrue(() -> Metrics.value("forger_generation_stream_seconds_count", MODEL, "format=\"npy\"",
                "outcome=\"client-gone\"") == gone + 1);
        double afterHangUp = settled(GenerateStreamApiTest::generated);
        double unsentNow = Metrics.value("forger_generation_unsent_images_total", MODEL) - unsent;
        assertThat(unsentNow).as("generated for the stream but never written").isBetween(1.0, 2.0 * BATCH);
        Thread.sleep(1000);
        assertThat(generated()).as("nothing is generated once the hang-up is noticed").isEqualTo(afterHangUp);
        assertThat(Metrics.value("forger_generation_streams_active")).isZero();
    }

    @Test
    void streamsBeyondMaxStreamsAre503WithRetryAfter() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // %test.forger.generation.max-streams
                Socket client = request("/api/v1/generate?count=1000000&format=tar");
                assertThat(client.getInputStream().readNBytes(12)).asString(StandardCharsets.ISO_8859_1)
                        .startsWith("HTTP/1.1 200");
                stalled.add(client);
            }
            Response refused = given().get("/api/v1/generate?count=1000&format=npy");
            refused.then().statusCode(503).header("Retry-After", "1")
                    .body("detail", containsString("generation streams are busy (forger.generation.max-streams)"));
            given().get("/api/v1/generate?count=4&format=grid").then().statusCode(200); // held-whole formats still work
            // a stream no longer than max-count takes no slot
            given().get("/api/v1/generate?count=256&format=npy").then().statusCode(200);
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
        awaitTrue(() -> Metrics.value("forger_generation_streams_active") == 0);
        given().get("/api/v1/generate?count=10&format=npy").then().statusCode(200);
    }

    static byte[] npy(String query) {
        return given().get("/api/v1/generate?format=npy&" + query).then().statusCode(200).extract().asByteArray();
    }

    static double generated() {
        return Metrics.value("forger_images_generated_total", MODEL);
    }

    static Socket request(String pathAndQuery) throws IOException {
        Socket socket = new Socket("localhost", RestAssured.port);
        socket.setReceiveBufferSize(64 * 1024);
        socket.setSoTimeout(120_000); // a test that waits for bytes that never come fails instead of hanging
        socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }

    /** The value once two readings 500 ms apart agree (at most 30 s). */
    static double settled(DoubleSupplier value) throws InterruptedException {
        double last = value.getAsDouble();
        for (int i = 0; i < 60; i++) {
            Thread.sleep(500);
            double now = value.getAsDouble();
            if (now == last) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("still changing after 30 s: " + last);
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 150 && !condition.getAsBoolean(); i++) {
            Thread.sleep(200);
        }
        assertThat(condition.getAsBoolean()).as("condition within 30 s").isTrue();
    }

    /** The data part of an npy file (after its header). */
    static final class NpyReaderBytes {
        static byte[] data(byte[] npy) {
            int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
            return java.util.Arrays.copyOfRange(npy, 10 + headerLength, npy.length);
        }
    }
}
