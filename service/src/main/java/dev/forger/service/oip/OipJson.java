package dev.forger.service.oip;

import java.util.List;

/** The protocol's small JSON objects (REST), spelled as the specification spells them. */
final class OipJson {
    private OipJson() {}

    record ServerMetadata(String name, String version, List<String> extensions) {}

    record ServerLive(boolean live) {}

    record ServerReady(boolean ready) {}

    record ModelReady(String name, boolean ready) {}

    record TensorMetadata(String name, String datatype, long[] shape) {}

    record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
                         List<TensorMetadata> outputs) {
        static ModelMetadata of(OipModel model) {
            return new ModelMetadata(model.name(), List.of(model.version()), OipModel.PLATFORM,
                    List.of(new TensorMetadata(model.inputName(), TensorDatatype.FP32.name(),
                            OipModel.withBatch(-1, model.inputItemShape()))),
                    List.of(new TensorMetadata(model.outputName(), TensorDatatype.FP32.name(),
                            OipModel.withBatch(-1, model.outputItemShape()))));
        }
    }

    /** Every error of the protocol, REST side. */
    record Error(String error) {}
}
