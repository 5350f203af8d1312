package dev.forger.service.security;

import static dev.forger.service.security.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

import com.google.protobuf.ByteString;
import dev.forger.service.api.Metrics;
import dev.forger.service.fixture.TestBundles;
import dev.forger.service.fixture.TestIssuer;
import dev.forger.service.oip.grpc.GRPCInferenceServiceGrpc;
import dev.forger.service.oip.grpc.ModelInferRequest;
import dev.forger.service.oip.grpc.ModelMetadataRequest;
import dev.forger.service.oip.grpc.ServerLiveRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Identity on, with tokens of a real OIDC issuer on a loopback port ({@link TestIssuer}) and API keys: every
 * endpoint under /api/v1 and /v2 answers 401 without credentials, 403 to a role below the one it needs and its
 * usual answer to that role; evaluations belong to who submitted them; health, metrics and the OIP probes stay
 * open; a greedy client is refused with 429 while another one is served.
 */
@QuarkusTest
@TestProfile(IdentityOn.class)
@QuarkusTestResource(value = TestBundles.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class SecurityApiTest {
    static final String DISCRIMINATOR = TestBundles.DEFAULT + "-discriminator";
    private static byte[] digit;

    @TestHTTPResource("/")
    URL http;

    /** One endpoint: how to call it, the least role it needs, and its answer to that role. */
    record Endpoint(String name, String role, int status, Function<RequestSpecification, Response> call) {}

    @BeforeEach
    void aDigit() {
        if (digit == null) {
            digit = as("rita").get("/api/v1/generate?count=1&seed=3").then().statusCode(200).extract().asByteArray();
        }
    }

    static List<Endpoint> endpoints() {
        Map<String, Object> evaluation = Map.of("count", 2, "seed", 1, "attacks", List.of(Map.of("method", "fgsm")),
                "epsilons", List.of(0.05));
        Map<String, Object> infer = Map.of("inputs", List.of(Map.of("name", "image", "datatype", "FP32",
                "shape", List.of(1, 1, 32, 32), "data", new float[32 * 32])));
        return List.of(
                new Endpoint("GET /api/v1/models", Roles.READER, 200, r -> r.get("/api/v1/models")),
                new Endpoint("GET /api/v1/attacks", Roles.READER, 200, r -> r.get("/api/v1/attacks")),
                new Endpoint("GET /api/v1/generate", Roles.READER, 200, r -> r.get("/api/v1/generate?count=2&seed=1")),
                new Endpoint("POST /api/v1/generate", Roles.READER, 200, r -> r.contentType(ContentType.JSON)
                        .body(Map.of("count", 1, "seed", 3, "format", "json")).post("/api/v1/generate")),
                new Endpoint("POST /api/v1/generate/walk", Roles.READER, 200, r -> r.contentType(ContentType.JSON)
                        .body(Map.of("points", List.of(1, 2), "steps", 2, "format", "npy"))
                        .post("/api/v1/generate/walk")),
                new Endpoint("POST /api/v1/generate/arithmetic", Roles.READER, 200, r -> r.contentType(ContentType.JSON)
                        .body(Map.of("plus", List.of(List.of(3)), "minus", List.of(List.of(8)), "format", "npy"))
                        .post("/api/v1/generate/arithmetic")),
                new Endpoint("POST /api/v1/score", Roles.READER, 200, r -> r.contentType("image/png").body(digit)
                        .post("/api/v1/score")),
                new Endpoint("POST /api/v1/attack", Roles.RESEARCHER, 200, r -> r.contentType("image/png").body(digit)
                        .post("/api/v1/attack?method=fgsm")),
                new Endpoint("POST /api/v1/attack (latent)", Roles.RESEARCHER, 200, r -> r.contentType(ContentType.JSON)
                        .body(Map.of("count", 1, "seed", 3)).post("/api/v1/attack?space=latent&method=fgsm")),
                new Endpoint("POST /api/v1/evaluate", Roles.RESEARCHER, 202, r -> r.contentType(ContentType.JSON)
                        .body(evaluation).post("/api/v1/evaluate")),
                new Endpoint("GET /api/v1/evaluations", Roles.RESEARCHER, 200, r -> r.get("/api/v1/evaluations")),
                new Endpoint("GET /v2", Roles.READER, 200, r -> r.get("/v2")),
                new Endpoint("GET /v2/models/{name}", Roles.READER, 200, r -> r.get("/v2/models/" + DISCRIMINATOR)),
                new Endpoint("GET /v2/models/{name}/ready", Roles.READER, 200,
                        r -> r.get("/v2/models/" + DISCRIMINATOR + "/ready")),
                new Endpoint("POST /v2/models/{name}/infer", Roles.READER, 200, r -> r.contentType(ContentType.JSON)
                        .body(infer).post("/v2/models/" + DISCRIMINATOR + "/infer")),
                new Endpoint("POST /v2/repository/index", Roles.OPERATOR, 200, r -> r.contentType(ContentType.JSON)
                        .body("{}").post("/v2/repository/index")));
    }

    /** A user the issuer gives exactly {@code role}; "nemo" holds none of Forger's. */
    static String userWith(String role) {
        return switch (role) {
            case Roles.READER -> "rita";
            case Roles.RESEARCHER -> "alice";
            case Roles.OPERATOR -> "olga";
            default -> "nemo";
        };
    }

    static String roleBelow(String role) {
        int i = Roles.ALL.indexOf(role);
        return i == 0 ? "none" : Roles.ALL.get(i - 1);
    }

    @Test
    void everyEndpointAnswers401WithoutCredentials403BelowItsRoleAndServesItsRole() {
        for (Endpoint endpoint : endpoints()) {
            String needs = "needs the role '" + endpoint.role() + "'";
            named(endpoint.name() + " anonymously", () -> endpoint.call().apply(given()).then().statusCode(401)
                    .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"))
                    .body("type", containsString("unauthenticated")).body("detail", containsString(needs)));
            named(endpoint.name() + " as " + roleBelow(endpoint.role()), () -> endpoint.call()
                    .apply(as(userWith(roleBelow(endpoint.role())))).then().statusCode(403)
                    .contentType("application/problem+json").body("type", containsString("forbidden"))
                    .body("detail", containsString(needs)));
            named(endpoint.name() + " as " + endpoint.role(), () -> endpoint.call()
                    .apply(as(userWith(endpoint.role()))).then().statusCode(endpoint.status()));
            if (!endpoint.role().equals(Roles.OPERATOR)) { // a higher role includes the lower ones
                named(endpoint.name() + " as operator", () -> endpoint.call().apply(as("olga")).then()
                        .statusCode(endpoint.status()));
            }
        }
    }

    /** Runs {@code check}, naming the case when it fails. */
    private static void named(String name, Runnable check) {
        try {
            check.run();
        } catch (AssertionError e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }

    @Test
    void refusedTokensAre401AndSayWhy() {
        for (String[] hooks : List.of(new String[] {"expires_in", "-120"}, new String[] {"foreign", "true"},
                new String[] {"audience", "some-other-service"})) {
            named(String.join("=", hooks), () -> given().auth().oauth2(Tokens.of("alice", hooks))
                    .get("/api/v1/models").then().statusCode(401).contentType("application/problem+json")
                    .body("detail", containsString("credentials were refused")));
        }
        given().header("Authorization", "Bearer not.a.jwt").get("/api/v1/models").then().statusCode(401);
    }

    @Test
    void apiKeysActAsTheirNameWithTheirRole() {
        given().header(ApiKeyMechanism.HEADER, IdentityOn.CI_KEY).contentType("image/png").body(digit)
                .post("/api/v1/attack?method=fgsm").then().statusCode(200);
        given().header(ApiKeyMechanism.HEADER, IdentityOn.DASHBOARD_KEY).contentType("image/png").body(digit)
                .post("/api/v1/score").then().statusCode(200);
        given().header(ApiKeyMechanism.HEADER, IdentityOn.DASHBOARD_KEY).contentType("image/png").body(digit)
                .post("/api/v1/attack?method=fgsm").then().statusCode(403)
                .body("detail", containsString("'key:dashboard' has reader"));
        given().header(ApiKeyMechanism.HEADER, IdentityOn.CI_KEY + "x").get("/api/v1/models").then().statusCode(401)
                .body("detail", containsString("refused"));
        String job = given().header(ApiKeyMechanism.HEADER, IdentityOn.CI_KEY).contentType(ContentType.JSON)
                .body(Map.of("count", 1, "attacks", List.of(Map.of("method", "fgsm")), "epsilons", List.of(0.05)))
                .post("/api/v1/evaluate").then().statusCode(202).body("owner", equalTo("key:ci"))
                .extract().header("Location");
        as("olga").delete(job).then().statusCode(oneOf(200, 204));
    }

    @Test
    void evaluationsBelongToWhoSubmittedThem() {
        String job = as("alice").contentType(ContentType.JSON).body(Map.of("count", 2, "seed", 4,
                        "attacks", List.of(Map.of("method", "fgsm")), "epsilons", List.of(0.05)))
                .post("/api/v1/evaluate").then().statusCode(202).body("owner", equalTo("alice"))
                .extract().header("Location");
        String id = job.substring(job.lastIndexOf('/') + 1);
        as("alice").get(job).then().statusCode(200).body("owner", equalTo("alice"));
        as("bob").get(job).then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("belongs to another user"));
        as("bob").get(job + "/chart").then().statusCode(403);
        as("bob").delete(job).then().statusCode(403);
        assertThat(as("bob").get("/api/v1/evaluations").then().statusCode(200).extract().jsonPath()
                .getList("id", String.class)).doesNotContain(id);
        assertThat(as("alice").get("/api/v1/evaluations").then().statusCode(200).extract().jsonPath()
                .getList("owner", String.class)).isNotEmpty().containsOnly("alice");
        assertThat(as("olga").get("/api/v1/evaluations?limit=500").then().statusCode(200).extract().jsonPath()
                .getList("id", String.class)).contains(id);
        as("olga").get(job).then().statusCode(200);
        as("alice").delete(job).then().statusCode(oneOf(200, 204));
    }

    @Test
    void grpcCallsNeedTheReaderRoleToo() throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress(http.getHost(), http.getPort()).usePlaintext()
                .build();
        try {
            var anonymous = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
            assertThat(anonymous.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
            ModelMetadataRequest metadata = ModelMetadataRequest.newBuilder().setName(DISCRIMINATOR).build();
            // Quarkus's gRPC security answers an anonymous call on a guarded method with PERMISSION_DENIED
            assertThatThrownBy(() -> anonymous.modelMetadata(metadata)).isInstanceOfSatisfying(
                    StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED));
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + Tokens.of("rita"));
            var reader = anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            assertThat(reader.modelMetadata(metadata).getName()).isEqualTo(DISCRIMINATOR);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theProtocolsGeneratorIsChargedToTheGeneratedImagesQuota() throws InterruptedException {
        // greta, a reader, has 100 generated images per hour here: two requests of 40 leave 20, a third is refused
        String generator = TestBundles.DEFAULT + "-generator";
        int batch = 40;
        Map<String, Object> latents = Map.of("inputs", List.of(Map.of("name", "z", "datatype", "FP32",
                "shape", List.of(batch, 100), "data", new float[batch * 100])));
        String greta = Tokens.of("greta");
        for (int i = 0; i < IdentityOn.READER_GENERATED_IMAGES / batch; i++) {
            given().auth().oauth2(greta).contentType(ContentType.JSON).body(latents)
                    .post("/v2/models/" + generator + "/infer").then().statusCode(200);
        }
        Response refused = given().auth().oauth2(greta).contentType(ContentType.JSON).body(latents)
                .post("/v2/models/" + generator + "/infer");
        refused.then().statusCode(429).header(Quotas.HEADER, "generated-images")
                .body("error", containsString("'generated-images'"));
        assertThat(Integer.parseInt(refused.header("Retry-After"))).as("seconds until 20 more have refilled")
                .isBetween(1, 3600);

        ManagedChannel channel = ManagedChannelBuilder.forAddress(http.getHost(), http.getPort()).usePlaintext()
                .build();
        try {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + greta);
            var client = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            ModelInferRequest infer = ModelInferRequest.newBuilder().setModelName(generator)
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("z").setDatatype("FP32")
                            .addShape(batch).addShape(100))
                    .addRawInputContents(ByteString.copyFrom(new byte[batch * 100 * 4])).build();
            assertThatThrownBy(() -> client.modelInfer(infer)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        assertThat(e.getStatus().getDescription()).contains("'generated-images'");
                        assertThat(e.getTrailers().get(Metadata.Key.of("forger-quota",
                                Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("generated-images");
                    });
            // what generates nothing is still served to her, and another reader's generator requests are
            assertThat(client.modelMetadata(ModelMetadataRequest.newBuilder().setName(generator).build()).getName())
                    .isEqualTo(generator);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        as("rita").contentType(ContentType.JSON).body(Map.of("inputs", List.of(Map.of("name", "z",
                "datatype", "FP32", "shape", List.of(2, 100), "data", new float[200]))))
                .post("/v2/models/" + generator + "/infer").then().statusCode(200);
    }

    @Test
    void healthMetricsAndTheProtocolsProbesNeedNoToken() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/v2/health/live").then().statusCode(200);
        given().get("/v2/health/ready").then().statusCode(200);
    }

    @Test
    void aGreedyClientGets429WhileAnotherIsServed() {
        // bob spends his researcher budget of 2000 image·steps (per hour here) on attacks of 10 generated digits x
        // 100 steps = 1000 image·steps each
        String attack = "/api/v1/attack?method=bim&steps=100&skipAtGoal=false&epsilon=0.01";
        Map<String, Object> tenDigits = Map.of("count", 10, "seed", 5);
        for (int i = 0; i < IdentityOn.RESEARCHER_IMAGE_STEPS / 1000; i++) {
            as("bob").contentType(ContentType.JSON).body(tenDigits).post(attack).then().statusCode(200);
        }
        Response refused = as("bob").contentType(ContentType.JSON).body(tenDigits).post(attack);
        refused.then().statusCode(429).contentType("application/problem+json")
                .header(Quotas.HEADER, "attack-image-steps")
                .body("type", containsString("quota-exceeded"))
                .body("detail", containsString("'attack-image-steps'"));
        assertThat(Integer.parseInt(refused.header("Retry-After"))).as("seconds until 1000 have refilled")
                .isBetween(1, 3600);

        // alice, with her own bucket, is served meanwhile; bob may still do what costs no attack budget
        as("alice").contentType(ContentType.JSON).body(tenDigits).post(attack).then().statusCode(200);
        as("bob").contentType("image/png").body(digit).post("/api/v1/score").then().statusCode(200);

        // more than a whole budget at once can never pass: 429 that says to split it, without Retry-After
        Response tooBig = as("alice").contentType(ContentType.JSON).body(Map.of("count", 3, "seed", 2))
                .post("/api/v1/attack?space=latent&method=pgd&steps=1000");
        tooBig.then().statusCode(429).header(Quotas.HEADER, "attack-image-steps")
                .body("detail", containsString("split it"));
        assertThat(tooBig.header("Retry-After")).isNull();

        assertThat(Metrics.value("forger_quota_requests_total", "quota=\"attack-image-steps\"", "outcome=\"refused\""))
                .isGreaterThanOrEqualTo(2);
        assertThat(Metrics.value("forger_quota_requests_total", "quota=\"attack-image-steps\"", "outcome=\"allowed\""))
                .isGreaterThanOrEqualTo(3);
        assertThat(Metrics.value("forger_rejected_requests_total", "reason=\"quota-exceeded\"")).isGreaterThanOrEqualTo(2);
    }
}
