package dev.forger.service.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forger.service.attacks.Goal;
import dev.forger.service.attacks.ImageOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Transfer is judged by each target's own verdicts, so targets that disagree with the source show transfer, not base rates. */
class TransferScoresTest {

    /** Two images the source called real (logit +2) and flipped to fake (-1). */
    private static final List<ImageOutcome> FLIPPED_ON_SOURCE = List.of(
            new ImageOutcome(0, true, 2f, -1f, 0.03, 0.5, 10, 1, false),
            new ImageOutcome(1, true, 2f, -1f, 0.03, 0.5, 10, 1, false));

    @Test
    void flipTransfersWhenTheTargetsOwnVerdictChanges() {
        // a strict target calls both originals fake: image 0 stays fake (no transfer), image 1 turns real (transfer)
        TransferScores scores = new TransferScores(FLIPPED_ON_SOURCE,
                Map.of("strict", new TransferScores.Logits(new float[] {-3f, -3f}, new float[] {-2f, 0.5f})));
        assertThat(scores.transferred("strict", 0, Goal.FLIP))
                .as("still fake on a target that called the original fake: the attack changed nothing there").isFalse();
        assertThat(scores.transferred("strict", 1, Goal.FLIP)).isTrue();
    }

    @Test
    void fixedGoalsAreTheSameSideOnEveryModel() {
        TransferScores scores = new TransferScores(FLIPPED_ON_SOURCE,
                Map.of("strict", new TransferScores.Logits(new float[] {-3f, 1f}, new float[] {-2f, 0.5f})));
        assertThat(scores.transferred("strict", 0, Goal.FAKE)).isTrue();
        assertThat(scores.transferred("strict", 1, Goal.FAKE)).isFalse();
        assertThat(scores.transferred("strict", 1, Goal.REAL)).isTrue();
    }
}
