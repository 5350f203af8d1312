package dev.forger.service.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.fixture.TestBundles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Concurrent HTTP requests share ONNX Runtime runs, visible in the service's own metrics. */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class BatchingApiTest {
    static double metric(String metrics, String name, String network) {
        Pattern p = Pattern.compile("^" + name + "\\{[^}]*model=\"tiny-dcgan\"[^}]*network=\"" + network
                + "\"[^}]*} ([0-9.eE+-]+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static String metrics() {
        return given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void concurrentRequestsAreCoalescedIntoSharedRuns() throws Exception {
        String before = metrics();
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int seed = i;
            statuses.add(pool.submit(() -> {
                start.await();
                return given().get("/api/v1/generate?count=1&format=npy&seed=" + seed).statusCode();
            }));
        }
        start.countDown();
        for (Future<Integer> status : statuses) {
            assertThat(status.get()).isEqualTo(200);
        }
        pool.shutdown();
        String after = metrics();
        double runs = metric(after, "forger_batch_size_count", "generator")
                - metric(before, "forger_batch_size_count", "generator");
        double images = metric(after, "forger_batch_size_sum", "generator")
                - metric(before, "forger_batch_size_sum", "generator");
        assertThat(images).isEqualTo(clients);
        assertThat(runs).as("8 concurrent requests within the 50 ms window need fewer than 8 runs")
                .isLessThan(clients);
        assertThat(metric(after, "forger_batch_size_max", "generator")).isGreaterThan(1);
    }
}
