package dev.forger.graph;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.forger.graph.onnx.FloatTensor;
import dev.forger.graph.onnx.OnnxModel;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an {@link OnnxModel} in ONNX Runtime with float tensors in and out (test helper). */
public final class OrtRunner implements AutoCloseable {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    /** A session without graph rewrites: the point is to test the graph as written. */
    public OrtRunner(OnnxModel model) throws OrtException {
        this(model, OrtSession.SessionOptions.OptLevel.NO_OPT);
    }

    public OrtRunner(OnnxModel model, OrtSession.SessionOptions.OptLevel optimisation) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setOptimizationLevel(optimisation);
            session = ENV.createSession(model.toBytes(), options);
        }
    }

    public OrtSession session() {
        return session;
    }

    public Map<String, FloatTensor> run(Map<String, FloatTensor> inputs) throws OrtException {
        return run(inputs, Map.of());
    }

    /**
     * Runs with float inputs and 1-D int64 inputs (class indices). Float and int64 outputs come
     * back as {@link FloatTensor}s (int64 values converted, exact for the small ones used here).
     */
    public Map<String, FloatTensor> run(Map<String, FloatTensor> inputs, Map<String, long[]> longInputs)
            throws OrtException {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (var e : inputs.entrySet()) {
                feeds.put(e.getKey(), OnnxTensor.createTensor(ENV, FloatBuffer.wrap(e.getValue().data()),
                        e.getValue().shape()));
            }
            for (var e : longInputs.entrySet()) {
                feeds.put(e.getKey(), OnnxTensor.createTensor(ENV, LongBuffer.wrap(e.getValue()),
                        new long[] {e.getValue().length}));
            }
            Map<String, FloatTensor> out = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    out.put(e.getKey(), new FloatTensor(floatsOf(t), t.getInfo().getShape()));
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

    private static float[] floatsOf(OnnxTensor t) {
        if (t.getInfo().type == OnnxJavaType.INT64) {
            LongBuffer longs = t.getLongBuffer();
            float[] data = new float[longs.remaining()];
            for (int i = 0; i < data.length; i++) {
                data[i] = longs.get(i);
            }
            return data;
        }
        FloatBuffer buffer = t.getFloatBuffer();
        float[] data = new float[buffer.remaining()];
        buffer.get(data);
        return data;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
