package dev.forger.trainer.training;

import dev.forger.trainer.Seeds;
import dev.forger.trainer.nets.DcganConfig;

/**
 * What a training run should do, beside the data.
 *
 * @param config          the nets and optimiser
 * @param epochs          total epochs (a resumed run continues up to this number)
 * @param batchSize       images per optimiser step
 * @param seed            the run's seed: every random stream derives from it ({@link Seeds}), any value, 0 included
 * @param qualityEvery    measure sample quality every this many epochs (and after the last); 0 = never
 * @param keepCheckpoints how many epoch checkpoints to keep; 0 = all
 * @param servedDiscriminatorSteps after the last epoch, train the discriminator to serve for this many steps
 *                        ({@link ServedDiscriminatorTraining}); 0 serves the GAN's discriminator as it is
 */
public record TrainingPlan(DcganConfig config, int epochs, int batchSize, long seed, int qualityEvery,
                           int keepCheckpoints, int servedDiscriminatorSteps) {

    /** A plan that serves the GAN's own discriminator. */
    public TrainingPlan(DcganConfig config, int epochs, int batchSize, long seed, int qualityEvery, int keepCheckpoints) {
        this(config, epochs, batchSize, seed, qualityEvery, keepCheckpoints, 0);
    }

    /** Images in the fixed-latent grid written after every epoch. */
    public static final int GRID_SAMPLES = 64;

    public TrainingPlan {
        if (epochs <= 0) {
            throw new IllegalArgumentException("epochs must be positive, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (qualityEvery < 0 || keepCheckpoints < 0 || servedDiscriminatorSteps < 0) {
            throw new IllegalArgumentException("qualityEvery, keepCheckpoints and servedDiscriminatorSteps must be ≥ 0");
        }
    }

    /** Seed of one epoch's data order: a pure function of (seed, epoch), so --resume reproduces it. */
    long dataOrderSeed(int epoch) {
        return Seeds.derive(seed, Seeds.DATA_ORDER, epoch);
    }

    /** Seed of one epoch's latents, a stream independent of the data order. */
    long latentSeed(int epoch) {
        return Seeds.derive(seed, Seeds.LATENTS, epoch);
    }

    /** Seed of a stream that is drawn once per run (weights, the fixed grid, the quality metric…). */
    long streamSeed(String stream) {
        return Seeds.derive(seed, stream);
    }

    boolean measuresQualityAfter(int epoch) {
        return qualityEvery > 0 && (epoch % qualityEvery == 0 || epoch == epochs);
    }
}
