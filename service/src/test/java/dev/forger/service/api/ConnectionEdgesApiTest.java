package dev.forger.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.fixture.TestBundles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** What clients do to connections: chunked bodies without Content-Length, and hanging up mid-upload. */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class ConnectionEdgesApiTest {
    @TestHTTPResource("/api/v1/score")
    URI score;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A body of unknown length: the JDK client sends it chunked, without Content-Length. */
    private HttpResponse<String> postChunked(byte[] body, String type) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(score).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aChunkedBodyOverTheLimitGetsTheProblemDocument() throws Exception {
        HttpResponse<String> r = postChunked(new byte[9 * 1024 * 1024], "image/png"); // the limit is 8M
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(r.body()).contains("urn:forger:problem:body-too-large", "max-body-size");
    }

    @Test
    void aChunkedBodyUnderTheLimitIsScored() throws Exception {
        byte[] png = io.restassured.RestAssured.given().get("/api/v1/generate?seed=4").then().statusCode(200)
                .extract().asByteArray();
        HttpResponse<String> r = postChunked(png, "image/png");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"realProbability\"");
    }

    @Test
    void aClientThatHangsUpMidUploadIsNoInternalError() throws Exception {
        Logger logger = Logger.getLogger(ProblemMappers.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level level = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.addHandler(capture);
        try {
            // multipart is read by a blocking stream on a worker: the read fails when the socket closes
            try (Socket socket = new Socket(score.getHost(), score.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/v1/score HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data;"
                        + " boundary=XX\r\nContent-Length: 100000\r\n\r\n--XX\r\nContent-Disposition: form-data;"
                        + " name=\"image\"; filename=\"a.png\"\r\n\r\n" + "x".repeat(500))
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(300);
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (records.stream().noneMatch(r -> r.getMessage().contains("client closed"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(records).as("log records of ProblemMappers")
                    .anySatisfy(r -> {
                        assertThat(r.getMessage()).contains("client closed the connection");
                        assertThat(r.getLevel().intValue()).isLessThan(Level.INFO.intValue());
                    })
                    .noneSatisfy(r -> assertThat(r.getMessage()).contains("internal error"));
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(level);
        }
    }
}
