package dev.forger.trainer.training;

import dev.forger.trainer.nets.DcganConfig;

/**
 * What a training run should do, beside the data.
 *
 * @param config          the nets and optimiser
 * @param epochs          total epochs (a resumed run continues up to this number)
 * @param batchSize       images per optimiser step
 * @param seed            seeds weights, data order, latents and the fixed sample grid
 * @param qualityEvery    measure sample quality every this many epochs (and after the last); 0 = never
 * @param keepCheckpoints how many epoch checkpoints to keep; 0 = all
 */
public record TrainingPlan(DcganConfig config, int epochs, int batchSize, long seed, int qualityEvery,
                           int keepCheckpoints) {

    /** Images in the fixed-latent grid written after every epoch. */
    public static final int GRID_SAMPLES = 64;

    public TrainingPlan {
        if (epochs <= 0) {
            throw new IllegalArgumentException("epochs must be positive, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (qualityEvery < 0 || keepCheckpoints < 0) {
            throw new IllegalArgumentException("qualityEvery and keepCheckpoints must be ≥ 0");
        }
    }

    /** Seed of the data order and latents of one epoch: a pure function of (seed, epoch), so --resume reproduces it. */
    long epochSeed(int epoch) {
        return seed * 1_000_003L + epoch;
    }

    boolean measuresQualityAfter(int epoch) {
        return qualityEvery > 0 && (epoch % qualityEvery == 0 || epoch == epochs);
    }
}
