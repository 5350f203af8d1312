package dev.forger.service.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.forger.service.fixture.TestBundles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service with a tiny queue: what does not fit is refused with 503 and Retry-After. */
@QuarkusTest
@TestProfile(OverloadApiTest.TinyQueue.class)
@QuarkusTestResource(TestBundles.class)
class OverloadApiTest {
    public static class TinyQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("forger.batching.max-batch-size", "4", "forger.batching.queue-capacity", "2");
        }
    }

    @Test
    void aRequestThatDoesNotFitTheQueueGets503WithRetryAfter() {
        // 16 images answered whole (json) are 4 chunks of 4 queued at once: more than the 2 the queue holds.
        // (npy streams keep at most two batches queued, so they wait instead of overflowing.)
        given().get("/api/v1/generate?count=16&format=json").then().statusCode(503)
                .header("Retry-After", "1").contentType("application/problem+json")
                .body("type", equalTo("urn:forger:problem:overloaded"))
                .body("detail", containsString("queue is full"));
        given().get("/api/v1/generate?count=4&format=npy").then().statusCode(200);
        given().accept("text/plain").get("/q/metrics").then()
                .body(containsString("forger_rejected_requests_total{reason=\"queue-full\""));
    }
}
