package dev.forger.service.imaging;

import java.util.Locale;
import java.util.Optional;

/** What to do with an image whose height or width differs from the model's. */
public enum ResizeMode {
    /** Refuse it (422), naming the expected size. */
    REFUSE,
    /** Rescale it to the model's size (bilinear up, area average down). */
    SCALE,
    /**
     * Frame it, centred, in the model's size with the background the trainer pads MNIST with (black,
     * -1 in model space): 28x28 digits become the 32x32 the DCGAN learnt. Larger images are refused.
     */
    PAD;

    /**
     * The {@code resize} parameter: absent, {@code false}/{@code 0}/{@code no} refuse; {@code true},
     * {@code 1}, {@code yes} or {@code scale} rescale; {@code pad} pads.
     *
     * @return empty when {@code value} is none of these
     */
    public static Optional<ResizeMode> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of(REFUSE);
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "false", "0", "no" -> Optional.of(REFUSE);
            case "true", "1", "yes", "scale" -> Optional.of(SCALE);
            case "pad" -> Optional.of(PAD);
            default -> Optional.empty();
        };
    }
}
