package dev.forger.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);

    /** A clock the test moves by hand. */
    private static final class FakeClock {
        long nanos = 1_000_000_000L;

        void advance(Duration d) {
            nanos += d.toNanos();
        }
    }

    private final FakeClock clock = new FakeClock();

    @Test
    void plainModePrintsOneLinePerTenthAndTheLastStep() {
        try (TrainingProgress progress = TrainingProgress.start("epoch 1", 100, out, false, () -> clock.nanos)) {
            for (int i = 1; i <= 100; i++) {
                clock.advance(Duration.ofMillis(100));
                progress.step("D 1.234 G 0." + i);
            }
        }

        List<String> lines = lines();
        assertThat(lines).hasSize(10);
        assertThat(lines.get(0)).isEqualTo("epoch 1: step 10/100 (10%), elapsed 0:01, ETA 0:09, D 1.234 G 0.10");
        assertThat(lines.get(9)).isEqualTo("epoch 1: step 100/100 (100%), elapsed 0:10, D 1.234 G 0.100");
    }

    @Test
    void etaExtrapolatesTheTimePerStep() {
        try (TrainingProgress progress = TrainingProgress.start("epoch 7", 40, out, false, () -> clock.nanos)) {
            for (int i = 1; i <= 4; i++) {
                clock.advance(Duration.ofSeconds(2));
                progress.step(null);
            }
            // 4 steps took 8 s: 36 more take 72 s
            assertThat(lines()).containsExactly("epoch 7: step 4/40 (10%), elapsed 0:08, ETA 1:12");
        }
    }

    @Test
    void aSlowTaskStillPrintsEveryThirtySeconds() {
        try (TrainingProgress progress = TrainingProgress.start("epoch 2", 1000, out, false, () -> clock.nanos)) {
            progress.step("a");
            clock.advance(Duration.ofSeconds(29));
            progress.step("b");
            assertThat(lines()).isEmpty();
            clock.advance(Duration.ofSeconds(2));
            progress.step("c");
            assertThat(lines()).containsExactly("epoch 2: step 3/1000 (0%), elapsed 0:31, ETA 2:51:42, c");
            clock.advance(Duration.ofSeconds(10));
            progress.step("d");
            assertThat(lines()).hasSize(1);
        }
    }

    @Test
    void closingEarlyReportsWhereTheTaskGotTo() {
        TrainingProgress progress = TrainingProgress.start("epoch 3", 100, out, false, () -> clock.nanos);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            progress.step("loss " + i);
        }
        progress.close();
        progress.close();

        assertThat(lines()).containsExactly("epoch 3: step 5/100 (5%), elapsed 0:05, ETA 1:35, loss 4");
    }

    @Test
    void closingAfterTheLastLineAddsNothing() {
        try (TrainingProgress progress = TrainingProgress.start("eval", 2, out, false, () -> clock.nanos)) {
            progress.step("x");
            progress.step("y");
        }

        assertThat(lines()).containsExactly("eval: step 1/2 (50%), elapsed 0:00, ETA 0:00, x",
                "eval: step 2/2 (100%), elapsed 0:00, y");
    }

    @Test
    void withoutAConsoleTheRealEntryPointWritesPlainLines() {
        // surefire's forked JVM has no console, as a log file or CI has none
        assertThat(System.console()).isNull();
        try (TrainingProgress progress = TrainingProgress.start("epoch 1", 3, out)) {
            progress.step("D 1.0");
            progress.step("D 0.9");
            progress.step("D 0.8");
        }

        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\r");
        assertThat(lines()).hasSize(3);
        assertThat(lines().get(2)).startsWith("epoch 1: step 3/3 (100%), elapsed ").endsWith(", D 0.8");
    }

    @Test
    void liveBarModeDrawsTheProgressBar() {
        try (TrainingProgress progress = TrainingProgress.start("epoch 9", 4, out, true, System::nanoTime)) {
            for (int i = 0; i < 4; i++) {
                progress.step("G 0.5" + i);
            }
        }

        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("epoch 9").contains("4/4").contains("G 0.53");
    }

    @Test
    void aTaskWithoutStepsIsRefused() {
        assertThatThrownBy(() -> TrainingProgress.start("epoch 1", 0, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch 1: total steps must be at least 1");
    }

    @Test
    void clockFormatsHoursOnlyWhenNeeded() {
        assertThat(TrainingProgress.PlainLines.clock(Duration.ofSeconds(59))).isEqualTo("0:59");
        assertThat(TrainingProgress.PlainLines.clock(Duration.ofSeconds(3599))).isEqualTo("59:59");
        assertThat(TrainingProgress.PlainLines.clock(Duration.ofSeconds(3600 + 61))).isEqualTo("1:01:01");
    }

    private List<String> lines() {
        String text = captured.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split(System.lineSeparator()));
    }
}
