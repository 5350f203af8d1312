package dev.forger.service.oip;

import com.google.protobuf.UnsafeByteOperations;
import dev.forger.service.imaging.EncodingPool;
import dev.forger.service.oip.grpc.GRPCInferenceService;
import dev.forger.service.oip.grpc.InferTensorContents;
import dev.forger.service.oip.grpc.ModelInferRequest;
import dev.forger.service.oip.grpc.ModelInferResponse;
import dev.forger.service.oip.grpc.ModelMetadataRequest;
import dev.forger.service.oip.grpc.ModelMetadataResponse;
import dev.forger.service.oip.grpc.ModelReadyRequest;
import dev.forger.service.oip.grpc.ModelReadyResponse;
import dev.forger.service.oip.grpc.ServerLiveRequest;
import dev.forger.service.oip.grpc.ServerLiveResponse;
import dev.forger.service.oip.grpc.ServerMetadataRequest;
import dev.forger.service.oip.grpc.ServerMetadataResponse;
import dev.forger.service.oip.grpc.ServerReadyRequest;
import dev.forger.service.oip.grpc.ServerReadyResponse;
import dev.forger.service.security.Quotas;
import dev.forger.service.security.Roles;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The protocol's gRPC service, {@code inference.GRPCInferenceService}, served by the Vert.x HTTP server on
 * the HTTP port ({@code quarkus.grpc.server.use-separate-server=false}). Inference goes through
 * {@link OipInference} like REST; answers carry their tensors in {@code raw_output_contents}
 * (little-endian FP32), as Triton's do. Requests may send typed {@code fp32_contents} or
 * {@code raw_input_contents}.
 */
@RolesAllowed(Roles.READER)
@GrpcService
public class GrpcInferenceService implements GRPCInferenceService {
    private final OipModels models;
    private final OipInference inference;
    private final OipServer server;
    private final OipErrors errors;
    private final EncodingPool encoding;
    private final Quotas quotas;

    public GrpcInferenceService(OipModels models, OipInference inference, OipServer server, OipErrors errors,
                                EncodingPool encoding, Quotas quotas) {
        this.models = models;
        this.inference = inference;
        this.server = server;
        this.errors = errors;
        this.encoding = encoding;
        this.quotas = quotas;
    }

    @Override
    @PermitAll // probes carry no credentials
    public Uni<ServerLiveResponse> serverLive(ServerLiveRequest request) {
        return Uni.createFrom().item(ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    @PermitAll
    public Uni<ServerReadyResponse> serverReady(ServerReadyRequest request) {
        return Uni.createFrom().item(ServerReadyResponse.newBuilder().setReady(models.serverReady()).build());
    }

    @Override
    public Uni<ModelReadyResponse> modelReady(ModelReadyRequest request) {
        return Uni.createFrom().item(ModelReadyResponse.newBuilder()
                .setReady(models.ready(request.getName(), request.getVersion())).build());
    }

    @Override
    public Uni<ServerMetadataResponse> serverMetadata(ServerMetadataRequest request) {
        return Uni.createFrom().item(ServerMetadataResponse.newBuilder().setName(server.name())
                .setVersion(server.version()).addAllExtensions(server.extensions()).build());
    }

    @Override
    public Uni<ModelMetadataResponse> modelMetadata(ModelMetadataRequest request) {
        return answer(() -> {
            OipModel model = models.get(request.getName(), request.getVersion());
            return ModelMetadataResponse.newBuilder().setName(model.name()).addVersions(model.version())
                    .setPlatform(OipModel.PLATFORM)
                    .addInputs(tensor(model.inputName(), OipModel.withBatch(-1, model.inputItemShape())))
                    .addOutputs(tensor(model.outputName(), OipModel.withBatch(-1, model.outputItemShape())))
                    .build();
        });
    }

    @Override
    public Uni<ModelInferResponse> modelInfer(ModelInferRequest request) {
        // through the deferred identity: on the event loop, lazy authentication refuses reading it directly
        return quotas.deferredCaller().onItem().transformToUni(caller -> modelInfer(request, caller));
    }

    private Uni<ModelInferResponse> modelInfer(ModelInferRequest request, Quotas.Caller caller) {
        CompletableFuture<ModelInferResponse> response;
        try {
            OipModel model = models.get(request.getModelName(), request.getModelVersion());
            CompletableFuture<InferResult> result = inference.infer(model, toInferRequest(request), caller);
            response = model.outputItemSize() * 64 > OipResource.INLINE_OUTPUT_FLOATS
                    ? result.thenApplyAsync(GrpcInferenceService::toResponse, encoding) // off the batcher thread
                    : result.thenApply(GrpcInferenceService::toResponse);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(errors.toStatus(e));
        }
        return Uni.createFrom().completionStage(response).onFailure().transform(errors::toStatus);
    }

    private <T> Uni<T> answer(Supplier<T> work) {
        try {
            return Uni.createFrom().item(work.get());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(errors.toStatus(e));
        }
    }

    private static ModelMetadataResponse.TensorMetadata tensor(String name, long[] shape) {
        ModelMetadataResponse.TensorMetadata.Builder t = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(name).setDatatype(TensorDatatype.FP32.name());
        for (long d : shape) {
            t.addShape(d);
        }
        return t.build();
    }

    static InferRequest toInferRequest(ModelInferRequest request) {
        int raw = request.getRawInputContentsCount();
        if (raw > 0 && raw != request.getInputsCount()) {
            throw OipException.badRequest("raw_input_contents has " + raw + " entries for " + request.getInputsCount()
                    + " inputs; give one per input, in the order of inputs");
        }
        List<InferRequest.Input> inputs = new ArrayList<>(request.getInputsCount());
        for (int i = 0; i < request.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor t = request.getInputs(i);
            long[] shape = t.getShapeList().stream().mapToLong(Long::longValue).toArray();
            InferTensorContents c = t.getContents();
            boolean typed = t.hasContents() && !isEmpty(c);
            if (raw > 0 && typed) {
                throw OipException.badRequest("input '" + t.getName() + "' has contents although raw_input_contents"
                        + " is used; give each tensor's data in one place");
            }
            float[] values = typed && c.getFp32ContentsCount() > 0 ? toArray(c) : null;
            ByteBuffer bytes = raw > 0 ? request.getRawInputContents(i).asReadOnlyByteBuffer() : null;
            inputs.add(new InferRequest.Input(t.getName(), t.getDatatype(), shape, values, bytes,
                    typed && values == null ? otherContents(c) : null));
        }
        List<InferRequest.RequestedOutput> outputs = request.getOutputsList().stream()
                .map(o -> new InferRequest.RequestedOutput(o.getName(), null)).toList();
        return new InferRequest(request.getId().isEmpty() ? null : request.getId(), inputs, outputs, true);
    }

    static ModelInferResponse toResponse(InferResult result) {
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder().setModelName(result.model().name())
                .setModelVersion(result.model().version());
        if (result.id() != null) {
            response.setId(result.id());
        }
        for (InferResult.Output o : result.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder t = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(o.name()).setDatatype(TensorDatatype.FP32.name());
            for (long d : o.shape()) {
                t.addShape(d);
            }
            response.addOutputs(t);
            ByteBuffer bytes = ByteBuffer.allocate(o.data().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(o.data());
            response.addRawOutputContents(UnsafeByteOperations.unsafeWrap(bytes.array())); // never written again
        }
        return response.build();
    }

    private static float[] toArray(InferTensorContents c) {
        float[] values = new float[c.getFp32ContentsCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = c.getFp32Contents(i);
        }
        return values;
    }

    private static boolean isEmpty(InferTensorContents c) {
        return c.getSerializedSize() == 0;
    }

    private static String otherContents(InferTensorContents c) {
        if (c.getFp64ContentsCount() > 0) {
            return "fp64_contents";
        }
        if (c.getIntContentsCount() > 0 || c.getInt64ContentsCount() > 0) {
            return "integer contents";
        }
        if (c.getUintContentsCount() > 0 || c.getUint64ContentsCount() > 0) {
            return "unsigned integer contents";
        }
        if (c.getBoolContentsCount() > 0) {
            return "bool_contents";
        }
        return "bytes_contents";
    }
}
