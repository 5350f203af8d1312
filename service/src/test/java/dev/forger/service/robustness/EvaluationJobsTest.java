package dev.forger.service.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forger.service.attacks.Goal;
import dev.forger.service.inference.QueueFullException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job store's bounds and expiry, on a clock the test moves. */
class EvaluationJobsTest {
    private static final Duration TTL = Duration.ofMinutes(10);

    private final MovableClock clock = new MovableClock();
    private final EvaluationJobs jobs = new EvaluationJobs(null, 2, TTL, 64, clock);

    @Test
    void finishedJobsAreKeptForTheirTtlThenForgotten() throws Exception {
        EvaluationJob job = jobs.submit(emptyPlan());
        awaitFinished(job);
        assertThat(job.state()).isEqualTo(EvaluationJob.State.SUCCEEDED);
        clock.advance(TTL.minusSeconds(1));
        assertThat(jobs.get(job.id())).contains(job);
        clock.advance(Duration.ofSeconds(2));
        assertThat(jobs.get(job.id())).isEmpty();
    }

    @Test
    void theStoreHoldsAtMostMaxJobsUntilSomeExpireOrAreDeleted() throws Exception {
        EvaluationJob first = jobs.submit(emptyPlan());
        EvaluationJob second = jobs.submit(emptyPlan());
        awaitFinished(first);
        awaitFinished(second);
        assertThatThrownBy(() -> jobs.submit(emptyPlan())).isInstanceOf(QueueFullException.class)
                .hasMessageContaining("evaluation");
        assertThat(jobs.delete(first.id())).contains(first); // finished: forgotten
        assertThat(jobs.get(first.id())).isEmpty();
        EvaluationJob third = jobs.submit(emptyPlan());
        awaitFinished(third);
        clock.advance(TTL.plusSeconds(1));
        jobs.submit(emptyPlan());
        jobs.submit(emptyPlan());
    }

    @Test
    void deletingAnUnknownJobFindsNothing() {
        assertThat(jobs.delete("nope")).isEmpty();
    }

    /** A plan with no attack runs: it finishes at once without a model. */
    private static EvaluationPlan emptyPlan() {
        return new EvaluationPlan(null, new float[0], 0, new RobustnessReport.ImageSource("upload", 0, null),
                Goal.FLIP, List.of(0.1), List.of());
    }

    private static void awaitFinished(EvaluationJob job) throws InterruptedException {
        for (int i = 0; i < 500 && !job.state().finished(); i++) {
            Thread.sleep(10);
        }
        assertThat(job.state().finished()).as("job finished").isTrue();
    }

    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-26T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
