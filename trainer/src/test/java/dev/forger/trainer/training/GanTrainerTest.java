package dev.forger.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forger.trainer.NativeBackend;
import dev.forger.trainer.data.ImageSet;
import dev.forger.trainer.data.SyntheticDigits;
import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.report.MetricsCsv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GanTrainerTest {

    /** A small net and batch so that an epoch over 256 synthetic digits takes a second or two. */
    static final DcganConfig SMALL = DcganConfig.defaults(1).withConvDim(8);
    static final ImageSet DIGITS = SyntheticDigits.generate(256, 32, 5);
    static final ImageSet NONE = DIGITS.subset(new int[0]);

    @TempDir
    Path tmp;

    @BeforeAll
    static void backend() {
        NativeBackend.init();
    }

    static TrainingPlan plan(int epochs) {
        return new TrainingPlan(SMALL, epochs, 32, 11, 0, 0);
    }

    static List<EpochMetrics> train(TrainingPlan plan, Path dir, boolean resume) throws IOException {
        return new GanTrainer(plan, dir, new PrintStream(new ByteArrayOutputStream())).train(DIGITS, NONE, resume);
    }

    @Test
    void writesCheckpointsGridsMetricsAndCurvesAfterEveryEpoch() throws IOException {
        List<EpochMetrics> history = train(plan(2), tmp, false);

        assertThat(history).extracting(EpochMetrics::epoch).containsExactly(1, 2);
        for (String epoch : List.of("epoch-0001", "epoch-0002")) {
            Path checkpoint = tmp.resolve("checkpoints").resolve(epoch);
            assertThat(checkpoint.resolve("generator.zip")).isNotEmptyFile();
            assertThat(checkpoint.resolve("discriminator.zip")).isNotEmptyFile();
            assertThat(checkpoint.resolve("state.json")).isNotEmptyFile();
            assertThat(ImageIO.read(tmp.resolve("samples").resolve(epoch + ".png").toFile()).getWidth())
                    .as("8x8 grid of 32px images with 2px gaps").isEqualTo(8 * 32 + 7 * 2);
        }
        assertThat(MetricsCsv.read(tmp.resolve(GanTrainer.METRICS))).isEqualTo(history);
        assertThat(ImageIO.read(tmp.resolve(GanTrainer.CURVES).toFile())).isNotNull();
        assertThat(history.get(0).seconds()).isPositive();
        assertThat(history.get(0).dReal()).isBetween(0.0, 1.0);
        assertThat(history.get(0).dFake()).isBetween(0.0, 1.0);
    }

    @Test
    void sameSeedAndDataGiveTheSameFirstEpoch() throws IOException {
        EpochMetrics a = train(plan(1), tmp.resolve("a"), false).get(0);
        EpochMetrics b = train(plan(1), tmp.resolve("b"), false).get(0);

        assertThat(new double[] {a.dLoss(), a.gLoss(), a.dReal(), a.dFake()})
                .containsExactly(b.dLoss(), b.gLoss(), b.dReal(), b.dFake());
    }

    @Test
    void theQualityMetricDoesNotChangeTheGansPath() throws IOException {
        ImageSet.Split split = DIGITS.split(64, 3);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        EpochMetrics with = new GanTrainer(new TrainingPlan(SMALL, 1, 32, 0, 1, 0), tmp.resolve("with"), quiet)
                .train(split.train(), split.heldOut(), false).get(0);
        EpochMetrics without = new GanTrainer(new TrainingPlan(SMALL, 1, 32, 0, 0, 0), tmp.resolve("without"), quiet)
                .train(split.train(), split.heldOut(), false).get(0);

        assertThat(with.hasQuality()).isTrue();
        assertThat(without.hasQuality()).isFalse();
        assertThat(new double[] {with.dLoss(), with.gLoss(), with.dReal(), with.dFake()})
                .containsExactly(without.dLoss(), without.gLoss(), without.dReal(), without.dFake());
        assertThat(Checkpoint.load(tmp.resolve("with")).generator().params())
                .isEqualTo(Checkpoint.load(tmp.resolve("without")).generator().params());
    }

    @Test
    void resumeRefusesACheckpointWhoseRandomStreamsDifferFromThisBuilds() throws IOException {
        train(plan(1), tmp, false);
        Path state = tmp.resolve("checkpoints/epoch-0001/state.json");
        Files.writeString(state, Files.readString(state).replaceAll("\"randomStreams\"\\s*:\\s*\\d+", "\"randomStreams\" : 1"));

        assertThatThrownBy(() -> train(plan(2), tmp, true)).hasMessageContaining("derived its random streams differently");
    }

    @Test
    void resumeContinuesExactlyWhereTheUninterruptedRunWouldBe() throws IOException {
        List<EpochMetrics> straight = train(plan(3), tmp.resolve("straight"), false);
        Path interrupted = tmp.resolve("interrupted");
        train(plan(1), interrupted, false);
        List<EpochMetrics> resumed = train(plan(3), interrupted, true);

        assertThat(resumed).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
        for (int i = 0; i < 3; i++) {
            EpochMetrics s = straight.get(i);
            EpochMetrics r = resumed.get(i);
            assertThat(new double[] {r.dLoss(), r.gLoss(), r.dReal(), r.dFake()})
                    .as("epoch %d", i + 1).containsExactly(s.dLoss(), s.gLoss(), s.dReal(), s.dFake());
        }
        assertThat(Checkpoint.load(interrupted).generator().params())
                .isEqualTo(Checkpoint.load(tmp.resolve("straight")).generator().params());
    }

    @Test
    void afterTheLastEpochItTrainsTheDiscriminatorToServeAndAFinishedRunCanGainOneOnResume() throws IOException {
        List<EpochMetrics> history = train(new TrainingPlan(SMALL, 2, 32, 11, 0, 0, 3), tmp.resolve("served"), false);
        Checkpoint last = Checkpoint.load(tmp.resolve("served"));

        assertThat(tmp.resolve("served/checkpoints/epoch-0001/served-discriminator.zip")).doesNotExist();
        assertThat(tmp.resolve("served/checkpoints/epoch-0002/served-discriminator.zip")).isNotEmptyFile();
        assertThat(last.state().servedDiscriminatorSteps()).isEqualTo(3);
        assertThat(last.discriminatorToServe()).isSameAs(last.servedDiscriminator());
        assertThat(last.servedDiscriminator().getLayerWiseConfigurations().getConfs())
                .noneMatch(c -> c.getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization);

        Path plain = tmp.resolve("plain");
        List<EpochMetrics> plainHistory = train(plan(2), plain, false);
        assertThat(plainHistory.get(1).dLoss()).as("the GAN's path does not depend on it").isEqualTo(history.get(1).dLoss());
        assertThat(Checkpoint.load(plain).servedDiscriminator()).isNull();
        train(new TrainingPlan(SMALL, 2, 32, 11, 0, 0, 3), plain, true);
        Checkpoint resumed = Checkpoint.load(plain);
        assertThat(resumed.state().servedDiscriminatorSteps()).isEqualTo(3);
        assertThat(resumed.servedDiscriminator().params()).as("the same as in the uninterrupted run")
                .isEqualTo(last.servedDiscriminator().params());
    }

    @Test
    void resumeRefusesOtherSettingsThanTheRunHad() throws IOException {
        train(plan(1), tmp, false);
        TrainingPlan other = new TrainingPlan(SMALL.withLearningRate(1e-3), 2, 32, 11, 0, 0);

        assertThatThrownBy(() -> train(other, tmp, true)).hasMessageContaining("--resume must use the run's own settings");
    }

    @Test
    void resumeWithoutACheckpointSaysSo() {
        assertThatThrownBy(() -> train(plan(1), tmp.resolve("empty"), true)).hasMessageContaining("nothing to resume");
    }

    @Test
    void keepsOnlyTheNewestCheckpointsWhenAsked() throws IOException {
        new GanTrainer(new TrainingPlan(SMALL, 3, 32, 11, 0, 2), tmp, new PrintStream(new ByteArrayOutputStream()))
                .train(DIGITS, NONE, false);

        try (var list = Files.list(tmp.resolve("checkpoints"))) {
            assertThat(list.map(p -> p.getFileName().toString()).sorted()).containsExactly("epoch-0002", "epoch-0003");
        }
    }

    @Test
    void refusesDataThatDoesNotFitTheNets() {
        ImageSet rgb = SyntheticDigits.generate(64, 32, 1);
        ImageSet threeChannels = new ImageSet("rgb", 3, 32, 32, new byte[64 * 3 * 32 * 32], rgb.labels());

        assertThatThrownBy(() -> new GanTrainer(plan(1), tmp, System.out).train(threeChannels, NONE, false))
                .hasMessageContaining("the data is 3x32x32 but the nets expect 1x32x32");
        assertThatThrownBy(() -> new GanTrainer(new TrainingPlan(SMALL, 1, 512, 1, 0, 0), tmp, System.out)
                .train(DIGITS, NONE, false)).hasMessageContaining("lower --batch-size");
    }
}
