import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;

/**
 * The in-process baseline for service/bench/run.sh: images/s of ONNX Runtime alone on a generator.onnx,
 * with the session options the service uses (1 intra-op thread, sequential, all optimisations).
 * A plain timed loop rather than JMH: one number, run by the java source launcher with only the
 * onnxruntime jar on the class path, so the benchmark needs no Maven build and never runs in verify.
 *
 * Usage: java -cp onnxruntime.jar OrtGeneratorRate.java GENERATOR_ONNX [BATCH=64] [SECONDS=10] [INTRA_OP_THREADS=1]
 * Prints one line: "ort_images_per_s=<rate> batch=<n> runs=<n> seconds=<s>".
 */
public final class OrtGeneratorRate {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: OrtGeneratorRate GENERATOR_ONNX [BATCH] [SECONDS] [INTRA_OP_THREADS]");
            System.exit(2);
        }
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 10;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(args[0], options)) {
                String input = session.getInputNames().iterator().next();
                float[] z = new float[batch * 100];
                Random random = new Random(1);
                long[] shape = {batch, 100};
                // warm-up outside the timed window: first runs allocate ORT's arena and JIT the JNI path
                long warmupEnd = System.nanoTime() + 3_000_000_000L;
                while (System.nanoTime() < warmupEnd) {
                    runOnce(env, session, input, z, shape, random);
                }
                long runs = 0;
                long start = System.nanoTime();
                long end = start + (long) (seconds * 1e9);
                long now;
                do {
                    runOnce(env, session, input, z, shape, random);
                    runs++;
                    now = System.nanoTime();
                } while (now < end);
                double elapsed = (now - start) / 1e9;
                System.out.printf("ort_images_per_s=%.1f batch=%d runs=%d seconds=%.2f%n",
                        runs * batch / elapsed, batch, runs, elapsed);
            }
        }
    }

    // Fresh latents and a copied-out result each run, as the service does, so the rate is ORT's real work.
    private static void runOnce(OrtEnvironment env, OrtSession session, String input, float[] z, long[] shape,
                                Random random) throws Exception {
        for (int i = 0; i < z.length; i++) {
            z[i] = random.nextFloat() * 2 - 1;
        }
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(z), shape);
             OrtSession.Result result = session.run(Map.of(input, tensor))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] images = new float[out.remaining()];
            out.get(images);
            if (images.length == 0 || images.length % shape[0] != 0) {
                throw new IllegalStateException("generator returned " + images.length + " floats for batch " + shape[0]);
            }
        }
    }
}
