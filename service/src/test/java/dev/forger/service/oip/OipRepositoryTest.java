package dev.forger.service.oip;

import static dev.forger.service.oip.OipRest.binaryInput;
import static dev.forger.service.oip.OipRest.map;
import static dev.forger.service.oip.OipRest.postBinary;
import static dev.forger.service.oip.OipRest.tree;
import static dev.forger.service.oip.OipRestApiTest.assertError;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forger.service.fixture.TestBundles;
import dev.forger.service.fixture.TinyBundle;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The model repository extension, enabled: the index of forger.models.dir, loading a bundle added at run
 * time, reloading one whose files changed, unloading, refusals that leave the served models as they were,
 * and requests that keep succeeding while a bundle they use is reloaded under them.
 */
@QuarkusTest
@TestProfile(OipRepositoryTest.RepositoryOn.class)
@QuarkusTestResource(TestBundles.class)
class OipRepositoryTest {
    public static class RepositoryOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("forger.oip.repository.enabled", "true");
        }
    }

    static Path modelsDir() {
        return Path.of(ConfigProvider.getConfig().getValue("forger.models.dir", String.class));
    }

    @Test
    void serverMetadataListsTheExtensionAndTheIndexDescribesTheFolder() {
        assertThat(given().get("/v2").jsonPath().getList("extensions")).contains("model_repository");
        List<Map<String, Object>> index = index("{}");
        assertThat(index).anySatisfy(e -> assertThat(e).containsEntry("name", TestBundles.DEFAULT + "-generator")
                .containsEntry("version", "test-1").containsEntry("state", "READY"));
        assertThat(index).anySatisfy(e -> assertThat(e).containsEntry("name", TestBundles.ZIPPED + "-discriminator")
                .containsEntry("state", "READY"));
        // the bundle whose checksum does not match, and the one whose manifest is not JSON
        assertThat(index).anySatisfy(e -> assertThat(e).containsEntry("name", "tampered-generator")
                .containsEntry("state", "UNAVAILABLE").satisfies(x -> assertThat((String) x.get("reason"))
                        .startsWith("refused: ").contains("sha256")));
        assertThat(index).anySatisfy(e -> assertThat(e).containsEntry("name", "broken")
                .containsEntry("state", "UNAVAILABLE").doesNotContainKey("version"));
        // the embedded bundle is served from the jar, not the folder
        assertThat(index).anySatisfy(e -> assertThat(e).containsEntry("name", "mnist-dcgan-generator")
                .containsEntry("state", "READY"));
        assertThat(index("{\"ready\": true}")).allSatisfy(e -> assertThat(e).containsEntry("state", "READY"));
        assertThat(index("")).hasSameSizeAs(index);
        assertError(given().body("{\"ready\": 3}").post("/v2/repository/index"), 400, "'ready' must be true or false");
    }

    @Test
    void aBundleAddedAtRunTimeLoadsReloadsWithNewWeightsAndUnloads() throws Exception {
        Path folder = modelsDir().resolve("added");
        TinyBundle.write(folder, "added-dcgan", 7);
        assertThat(index("{}")).anySatisfy(e -> assertThat(e).containsEntry("name", "added-dcgan-discriminator")
                .containsEntry("state", "UNAVAILABLE").containsEntry("reason", "not loaded"));
        assertError(given().get("/v2/models/added-dcgan-discriminator/ready"), 404, "added-dcgan");

        given().post("/v2/repository/models/added-dcgan-discriminator/load").then().statusCode(200);
        assertThat(given().get("/v2/models/added-dcgan-discriminator/ready").jsonPath().getBoolean("ready")).isTrue();
        assertThat(given().get("/v2/models/added-dcgan-generator/ready").jsonPath().getBoolean("ready")).isTrue();
        given().get("/api/v1/models").then().statusCode(200);
        assertThat(given().get("/api/v1/models").asString()).contains("added-dcgan");
        float before = logit("added-dcgan");

        TinyBundle.write(folder, "added-dcgan", 8); // other weights, same name
        given().body("{\"parameters\": {}}").post("/v2/repository/models/added-dcgan/load").then().statusCode(200);
        float after = logit("added-dcgan");
        assertThat(after).as("the reloaded bundle's weights answer").isNotEqualTo(before);

        given().post("/v2/repository/models/added-dcgan-generator/unload").then().statusCode(200);
        assertError(given().get("/v2/models/added-dcgan-discriminator"), 404, "no model named");
        assertError(given().post("/v2/repository/models/added-dcgan/unload"), 404, "is served");
        assertThat(given().get("/api/v1/models").asString()).doesNotContain("added-dcgan");
    }

    @Test
    void refusedLoadsLeaveWhatIsServedAndTheDefaultCannotBeUnloaded() {
        assertError(given().post("/v2/repository/models/tampered/load"), 400, "sha256");
        assertError(given().post("/v2/repository/models/nowhere-generator/load"), 404,
                "holds no bundle named 'nowhere'");
        assertError(given().post("/v2/repository/models/" + TestBundles.DEFAULT + "/unload"), 400,
                "is the default model");
        assertError(given().body("[1]").post("/v2/repository/models/" + TestBundles.DEFAULT + "/load"), 400,
                "must be a JSON object");
        assertThat(given().get("/v2/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void requestsInFlightSucceedWhileTheirBundleIsReloaded() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        AtomicBoolean reloading = new AtomicBoolean(true);
        List<Future<List<Integer>>> statuses = new ArrayList<>();
        float[] image = OipRest.images(1, 3);
        for (int c = 0; c < 4; c++) {
            boolean viaOip = c % 2 == 0;
            statuses.add(clients.submit(() -> {
                List<Integer> seen = new ArrayList<>();
                while (reloading.get() || seen.size() < 5) {
                    Response r = viaOip
                            ? postBinary("/v2/models/" + TestBundles.ZIPPED + "-discriminator/infer",
                            Map.of("inputs", List.of(binaryInput("image", new long[] {1, 1, 32, 32}, 1024))), image)
                            : given().get("/api/v1/generate?count=2&format=npy&model=" + TestBundles.ZIPPED);
                    seen.add(r.statusCode());
                }
                return seen;
            }));
        }
        for (int i = 0; i < 3; i++) {
            given().post("/v2/repository/models/" + TestBundles.ZIPPED + "/load").then().statusCode(200);
        }
        reloading.set(false);
        int requests = 0;
        for (Future<List<Integer>> f : statuses) {
            List<Integer> seen = f.get(120, TimeUnit.SECONDS);
            assertThat(seen).as("every request during the reloads").containsOnly(200);
            requests += seen.size();
        }
        clients.shutdown();
        assertThat(requests).isGreaterThanOrEqualTo(20);
    }

    private static float logit(String bundle) {
        float[] image = OipRest.images(1, 99);
        Response r = postBinary("/v2/models/" + bundle + "-discriminator/infer",
                Map.of("inputs", List.of(binaryInput("image", new long[] {1, 1, 32, 32}, 1024))), image);
        JsonNode body = OipRestApiTest.okTree(r);
        return OipRest.floats(body.get("outputs").get(0).get("data"))[0];
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> index(String body) {
        Response r = given().body(body).post("/v2/repository/index");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (JsonNode e : tree(r.asByteArray())) {
            Map<String, Object> entry = map(e);
            OipSchema.REPOSITORY_INDEX_ENTRY.check(entry);
            entries.add(entry);
        }
        return entries;
    }
}
