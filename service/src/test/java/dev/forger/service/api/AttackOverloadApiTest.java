package dev.forger.service.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.fixture.TestBundles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One attack thread and a one-place queue: a burst of attacks gets 503 with Retry-After, not a backlog. */
@QuarkusTest
@TestProfile(AttackOverloadApiTest.OneAttackAtATime.class)
@QuarkusTestResource(TestBundles.class)
class AttackOverloadApiTest {
    public static class OneAttackAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("forger.attacks.threads", "1", "forger.attacks.queue-capacity", "1");
        }
    }

    @Test
    void attacksBeyondTheQueueAreRefusedAndTheServiceKeepsServing() throws Exception {
        byte[] digit = given().get("/api/v1/generate?count=1&seed=4").then().statusCode(200).extract().asByteArray();
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                // 20 steps of a lone image each wait the test's 50 ms batching window: about a second per attack
                answers.add(clients.submit(() -> given().contentType("image/png").body(digit)
                        .post("/api/v1/attack?method=pgd&steps=20")));
            }
            int ok = 0;
            int refused = 0;
            for (Future<Response> answer : answers) {
                Response r = answer.get();
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    r.then().statusCode(503).header("Retry-After", "1").contentType("application/problem+json")
                            .body("type", org.hamcrest.Matchers.equalTo("urn:forger:problem:overloaded"))
                            .body("detail", org.hamcrest.Matchers.containsString("attack queue is full"));
                    refused++;
                }
            }
            assertThat(ok).as("one running and one queued attack finish").isGreaterThanOrEqualTo(2);
            assertThat(refused).as("the rest are refused at once").isPositive();
        } finally {
            clients.shutdownNow();
        }
        given().contentType("image/png").body(digit).post("/api/v1/attack?method=fgsm").then().statusCode(200);
    }
}
