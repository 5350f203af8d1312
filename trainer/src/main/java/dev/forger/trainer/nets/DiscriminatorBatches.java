package dev.forger.trainer.nets;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one discriminator pass in training holds, and so which statistics its BatchNorm layers normalise by.
 *
 * <ul>
 *   <li>{@link #SEPARATE}: an all-real batch and an all-fake batch, each normalised by its own statistics — the
 *       DCGAN paper's and the seed notebook's recipe. The discriminator can then lean on how a whole batch
 *       differs from another, which no single image shows: in inference mode (running statistics, one image at a
 *       time, as served) it is a different function from the one it learned.</li>
 *   <li>{@link #MIXED}: one batch of the real and the fake images together (for D's step, and for G's step, where
 *       only the fake half carries a loss), normalised by the statistics of the mixture, which is what the running
 *       averages estimate. What D learns is a verdict per image, the function it computes in inference mode.</li>
 * </ul>
 */
public enum DiscriminatorBatches {
    SEPARATE,
    MIXED;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DiscriminatorBatches parse(String value) {
        for (DiscriminatorBatches b : values()) {
            if (b.label().equalsIgnoreCase(value.strip())) {
                return b;
            }
        }
        throw new IllegalArgumentException("discriminator batches must be one of "
                + Arrays.stream(values()).map(DiscriminatorBatches::label).collect(Collectors.joining(", "))
                + ", got '" + value + "'");
    }
}
