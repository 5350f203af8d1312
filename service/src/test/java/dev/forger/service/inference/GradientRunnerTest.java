package dev.forger.service.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientRunnerTest {
    private static final Path BUNDLE = Path.of("src/main/resources/models/mnist-dcgan");
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @Test
    void packsImageAndLabelInAndLogitAndGradientOutLikeADirectRun() throws Exception {
        int size = 32 * 32;
        float[] images = new float[2 * size];
        for (int j = 0; j < images.length; j++) {
            images[j] = (float) Math.sin(j * 0.37);
        }
        float[] labels = {0f, 1f};
        float[] items = new float[2 * (size + 1)];
        for (int i = 0; i < 2; i++) {
            System.arraycopy(images, i * size, items, i * (size + 1), size);
            items[i * (size + 1) + size] = labels[i];
        }
        byte[] graph = Files.readAllBytes(BUNDLE.resolve("discriminator-grad.onnx"));
        float[] out;
        try (GradientRunner runner = GradientRunner.open(ENV, graph, "discriminator-grad.onnx", new long[] {1, 32, 32}, 1)) {
            assertThat(runner.inputSize()).isEqualTo(size + 1);
            assertThat(runner.outputSize()).isEqualTo(size + 1);
            out = runner.run(items, 2);
        }
        try (OrtSession session = ENV.createSession(graph, new OrtSession.SessionOptions());
             OnnxTensor image = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(images), new long[] {2, 1, 32, 32});
             OnnxTensor target = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(labels), new long[] {2, 1});
             OrtSession.Result r = session.run(Map.of("image", image, "target", target))) {
            float[] logits = ((OnnxTensor) r.get("logit").orElseThrow()).getFloatBuffer().array();
            float[] grads = ((OnnxTensor) r.get("grad").orElseThrow()).getFloatBuffer().array();
            for (int i = 0; i < 2; i++) {
                assertThat(out[i * (size + 1)]).isCloseTo(logits[i], org.assertj.core.data.Offset.offset(1e-5f));
                for (int j = 0; j < size; j++) {
                    assertThat(out[i * (size + 1) + 1 + j]).isCloseTo(grads[i * size + j],
                            org.assertj.core.data.Offset.offset(1e-6f));
                }
            }
        }
    }

    @Test
    void aGraphThatIsNotAGradientGraphIsRefusedNamingWhatItLacks() throws Exception {
        byte[] forward = Files.readAllBytes(BUNDLE.resolve("discriminator.onnx"));
        assertThatThrownBy(() -> GradientRunner.open(ENV, forward, "discriminator.onnx", new long[] {1, 32, 32}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("discriminator.onnx is not a gradient graph").hasMessageContaining("'target'");
        byte[] graph = Files.readAllBytes(BUNDLE.resolve("discriminator-grad.onnx"));
        assertThatThrownBy(() -> GradientRunner.open(ENV, graph, "g.onnx", new long[] {3, 32, 32}, 1))
                .hasMessageContaining("[N, 3, 32, 32]");
    }
}
