package dev.forger.graph;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.forger.graph.onnx.FloatTensor;
import dev.forger.graph.onnx.OnnxModel;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an {@link OnnxModel} in ONNX Runtime with float tensors in and out (test helper). */
public final class OrtRunner implements AutoCloseable {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public OrtRunner(OnnxModel model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            // no graph rewrites: the point is to test the graph as written
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            session = ENV.createSession(model.toBytes(), options);
        }
    }

    public OrtSession session() {
        return session;
    }

    public Map<String, FloatTensor> run(Map<String, FloatTensor> inputs) throws OrtException {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (var e : inputs.entrySet()) {
                feeds.put(e.getKey(), OnnxTensor.createTensor(ENV, FloatBuffer.wrap(e.getValue().data()),
                        e.getValue().shape()));
            }
            Map<String, FloatTensor> out = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    FloatBuffer buffer = t.getFloatBuffer();
                    float[] data = new float[buffer.remaining()];
                    buffer.get(data);
                    out.put(e.getKey(), new FloatTensor(data, t.getInfo().getShape()));
                }
            }
            return out;
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    /** Runs a model with one input and returns the named output. */
    public FloatTensor run(String input, FloatTensor value, String output) throws OrtException {
        return run(Map.of(input, value)).get(output);
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
