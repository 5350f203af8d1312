package dev.forger.service.oip;

import static dev.forger.service.oip.OipRest.binaryInput;
import static dev.forger.service.oip.OipRest.postBinary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.forger.service.fixture.TestBundles;
import dev.forger.service.oip.grpc.GRPCInferenceServiceGrpc;
import dev.forger.service.oip.grpc.InferTensorContents;
import dev.forger.service.oip.grpc.ModelInferRequest;
import dev.forger.service.oip.grpc.ModelInferResponse;
import dev.forger.service.oip.grpc.ModelMetadataRequest;
import dev.forger.service.oip.grpc.ModelMetadataResponse;
import dev.forger.service.oip.grpc.ModelReadyRequest;
import dev.forger.service.oip.grpc.ServerLiveRequest;
import dev.forger.service.oip.grpc.ServerMetadataRequest;
import dev.forger.service.oip.grpc.ServerMetadataResponse;
import dev.forger.service.oip.grpc.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plain grpc-java client (Netty transport, stubs generated from Forger's open_inference.proto) talks to the
 * running service on its HTTP port: health, metadata, and inference with raw and typed contents, whose
 * answers equal the REST binary answers bit for bit; errors arrive as gRPC status codes.
 */
@QuarkusTest
@QuarkusTestResource(TestBundles.class)
class OipGrpcTest {
    static final String DISCRIMINATOR = OipRestApiTest.DISCRIMINATOR;
    static final String GENERATOR = OipRestApiTest.GENERATOR;

    @TestHTTPResource("/")
    URL http;

    private ManagedChannel channel;
    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub client;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress(http.getHost(), http.getPort()).usePlaintext().build();
        client = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void healthAndServerMetadataOnTheHttpPort() {
        assertThat(client.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(client.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        ServerMetadataResponse server = client.serverMetadata(ServerMetadataRequest.getDefaultInstance());
        assertThat(server.getName()).isEqualTo("forger");
        assertThat(server.getVersion()).isNotBlank();
        assertThat(server.getExtensionsList()).contains("binary_tensor_data");
        assertThat(client.modelReady(ModelReadyRequest.newBuilder().setName(DISCRIMINATOR).build()).getReady()).isTrue();
        assertThat(client.modelReady(ModelReadyRequest.newBuilder().setName(DISCRIMINATOR).setVersion("test-1").build())
                .getReady()).isTrue();
        assertThat(client.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()).getReady()).isFalse();
    }

    @Test
    void modelMetadataDescribesTheTensors() {
        ModelMetadataResponse g = client.modelMetadata(ModelMetadataRequest.newBuilder().setName(GENERATOR).build());
        assertThat(g.getName()).isEqualTo(GENERATOR);
        assertThat(g.getVersionsList()).containsExactly("test-1");
        assertThat(g.getPlatform()).isEqualTo("onnxruntime_onnx");
        assertThat(g.getInputs(0).getName()).isEqualTo("z");
        assertThat(g.getInputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(g.getInputs(0).getShapeList()).containsExactly(-1L, 100L);
        assertThat(g.getOutputs(0).getName()).isEqualTo("image");
        assertThat(g.getOutputs(0).getShapeList()).containsExactly(-1L, 1L, 32L, 32L);
        assertStatus(() -> client.modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()),
                Status.Code.NOT_FOUND, "no model named 'nope'");
    }

    @Test
    void rawAndTypedInferenceEqualTheRestBinaryAnswer() {
        float[] images = OipRest.images(3, 21);
        long[] shape = {3, 1, 32, 32};
        Response rest = postBinary("/v2/models/" + DISCRIMINATOR + "/infer", Map.of("inputs",
                List.of(binaryInput("image", shape, images.length)), "parameters", Map.of("binary_data_output", true)), images);
        int header = Integer.parseInt(rest.header(OipRest.HEADER));
        float[] expected = OipRest.floatsOf(rest.asByteArray(), header, 12);

        ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor.newBuilder()
                .setName("image").setDatatype("FP32");
        for (long d : shape) {
            input.addShape(d);
        }
        ModelInferResponse raw = client.modelInfer(ModelInferRequest.newBuilder().setModelName(DISCRIMINATOR)
                .setId("g-1").addInputs(input).addRawInputContents(ByteString.copyFrom(OipRest.littleEndian(images)))
                .build());
        assertThat(raw.getModelName()).isEqualTo(DISCRIMINATOR);
        assertThat(raw.getModelVersion()).isEqualTo("test-1");
        assertThat(raw.getId()).isEqualTo("g-1");
        assertThat(raw.getOutputs(0).getName()).isEqualTo("logit");
        assertThat(raw.getOutputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(raw.getOutputs(0).getShapeList()).containsExactly(3L, 1L);
        assertThat(raw.getRawOutputContentsCount()).isEqualTo(1);
        byte[] bytes = raw.getRawOutputContents(0).toByteArray();
        assertThat(OipRest.floatsOf(bytes, 0, bytes.length)).isEqualTo(expected);

        InferTensorContents.Builder typed = InferTensorContents.newBuilder();
        for (float v : images) {
            typed.addFp32Contents(v);
        }
        ModelInferResponse viaContents = client.modelInfer(ModelInferRequest.newBuilder()
                .setModelName(DISCRIMINATOR).setModelVersion("test-1").addInputs(input.clone().setContents(typed)).build());
        byte[] typedBytes = viaContents.getRawOutputContents(0).toByteArray();
        assertThat(OipRest.floatsOf(typedBytes, 0, typedBytes.length)).isEqualTo(expected);
        assertThat(viaContents.getId()).isEmpty();
    }

    @Test
    void generatorAnswersImagesAsRawBytes() {
        float[] z = java.util.Arrays.copyOf(OipRest.images(1, 5), 4 * 100);
        ModelInferResponse r = client.modelInfer(ModelInferRequest.newBuilder().setModelName(GENERATOR)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("z").setDatatype("FP32")
                        .addShape(4).addShape(100))
                .addRawInputContents(ByteString.copyFrom(OipRest.littleEndian(z))).build());
        assertThat(r.getOutputs(0).getShapeList()).containsExactly(4L, 1L, 32L, 32L);
        assertThat(r.getRawOutputContents(0).size()).isEqualTo(4 * 1024 * 4);
    }

    @Test
    void badRequestsAreInvalidArgumentWithTheSameMessagesAsRest() {
        ModelInferRequest.InferInputTensor wrongShape = ModelInferRequest.InferInputTensor.newBuilder().setName("z")
                .setDatatype("FP32").addShape(1).addShape(99).build();
        assertStatus(() -> client.modelInfer(ModelInferRequest.newBuilder().setModelName(GENERATOR).addInputs(wrongShape)
                .addRawInputContents(ByteString.copyFrom(new byte[99 * 4])).build()),
                Status.Code.INVALID_ARGUMENT, "takes FP32 [N, 100]");
        ModelInferRequest.InferInputTensor z = ModelInferRequest.InferInputTensor.newBuilder().setName("z")
                .setDatatype("FP32").addShape(1).addShape(100).build();
        assertStatus(() -> client.modelInfer(ModelInferRequest.newBuilder().setModelName(GENERATOR).addInputs(z)
                .addRawInputContents(ByteString.copyFrom(new byte[10])).build()),
                Status.Code.INVALID_ARGUMENT, "has 10 bytes of binary data");
        assertStatus(() -> client.modelInfer(ModelInferRequest.newBuilder().setModelName(GENERATOR)
                .addInputs(z.toBuilder().setDatatype("FP64").setContents(InferTensorContents.newBuilder()
                        .addAllFp64Contents(java.util.Collections.nCopies(100, 0.5)))).build()),
                Status.Code.INVALID_ARGUMENT, "is FP64");
        assertStatus(() -> client.modelInfer(ModelInferRequest.newBuilder().setModelName(GENERATOR)
                .addInputs(z.toBuilder().setContents(InferTensorContents.newBuilder()
                        .addAllIntContents(java.util.Collections.nCopies(100, 1)))).build()),
                Status.Code.INVALID_ARGUMENT, "carries integer contents");
        assertStatus(() -> client.modelInfer(ModelInferRequest.newBuilder().setModelName(GENERATOR).addInputs(z).build()),
                Status.Code.INVALID_ARGUMENT, "has no data");
        assertStatus(() -> client.modelInfer(ModelInferRequest.newBuilder().setModelName("nope").addInputs(z).build()),
                Status.Code.NOT_FOUND, "no model named 'nope'");
    }

    private static void assertStatus(Runnable call, Status.Code code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(message);
        });
    }
}
