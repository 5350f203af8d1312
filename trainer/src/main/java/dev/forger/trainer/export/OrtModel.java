package dev.forger.trainer.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One ONNX Runtime session over a model file, fed and read as float arrays: the way the service
 * will run the bundle, used here to check the export before calling it done.
 */
final class OrtModel implements AutoCloseable {

    /** A float tensor: row-major values and shape. */
    record Tensor(float[] data, long[] shape) {}

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    private OrtModel(OrtSession session) {
        this.session = session;
    }

    static OrtModel open(Path file) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // one thread: the machine is shared and these checks are small
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            return new OrtModel(OrtEnvironment.getEnvironment().createSession(file.toString(), options));
        }
    }

    Map<String, String> customMetadata() throws OrtException {
        return session.getMetadata().getCustomMetadata();
    }

    /** Runs the model and returns every output by name. */
    Map<String, Tensor> run(Map<String, Tensor> inputs) throws OrtException {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (var in : inputs.entrySet()) {
                feed.put(in.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(in.getValue().data()),
                        in.getValue().shape()));
            }
            Map<String, Tensor> outputs = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feed)) {
                for (Map.Entry<String, OnnxValue> out : result) {
                    OnnxTensor t = (OnnxTensor) out.getValue();
                    FloatBuffer buffer = t.getFloatBuffer();
                    float[] data = new float[buffer.remaining()];
                    buffer.get(data);
                    outputs.put(out.getKey(), new Tensor(data, ((TensorInfo) t.getInfo()).getShape()));
                }
            }
            return outputs;
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
