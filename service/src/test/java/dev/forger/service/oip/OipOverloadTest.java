package dev.forger.service.oip;

import static dev.forger.service.oip.OipRest.binaryInput;
import static dev.forger.service.oip.OipRest.postBinary;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.forger.service.fixture.TestBundles;
import dev.forger.service.oip.grpc.GRPCInferenceServiceGrpc;
import dev.forger.service.oip.grpc.ModelInferRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The protocol shares the batchers' queues with Forger's own API: what does not fit is refused at once,
 * REST with 503 + Retry-After and {"error"}, gRPC with UNAVAILABLE, and counted as queue-full.
 */
@QuarkusTest
@TestProfile(OipOverloadTest.TinyQueue.class)
@QuarkusTestResource(TestBundles.class)
class OipOverloadTest {
    static final String GENERATOR = OipRestApiTest.GENERATOR;

    /** The queue of api's OverloadApiTest: batches of 4, two of them waiting at most. */
    public static class TinyQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("forger.batching.max-batch-size", "4", "forger.batching.queue-capacity", "2");
        }
    }

    @TestHTTPResource("/")
    URL http;

    @Test
    void aBatchThatDoesNotFitTheQueueIsRefusedWithRetryAfter() throws InterruptedException {
        double before = OipRestErrorsTest.rejected("queue-full");
        float[] z = new float[16 * 100]; // 16 latents are 4 chunks of 4: more than the 2 the queue holds
        Response r = postBinary("/v2/models/" + GENERATOR + "/infer",
                Map.of("inputs", List.of(binaryInput("z", new long[] {16, 100}, z.length))), z);
        OipRestApiTest.assertError(r, 503, "queue is full");
        assertThat(r.header("Retry-After")).isEqualTo("1");

        ManagedChannel channel = ManagedChannelBuilder.forAddress(http.getHost(), http.getPort()).usePlaintext().build();
        try {
            var client = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
            ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(GENERATOR)
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("z").setDatatype("FP32")
                            .addShape(16).addShape(100))
                    .addRawInputContents(ByteString.copyFrom(OipRest.littleEndian(z))).build();
            assertThatThrownBy(() -> client.modelInfer(request)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        float[] four = new float[4 * 100];
        assertThat(postBinary("/v2/models/" + GENERATOR + "/infer",
                Map.of("inputs", List.of(binaryInput("z", new long[] {4, 100}, four.length))), four).statusCode())
                .isEqualTo(200);
        assertThat(OipRestErrorsTest.rejected("queue-full")).as("REST and gRPC refusals").isEqualTo(before + 2);
    }
}
