package dev.forger.trainer.nets;

/**
 * Everything that shapes the DCGAN and its optimiser, defaults from the seed (Radford et al. 2015 and the
 * Udacity SVHN notebook). Stored with every checkpoint and exported into the bundle manifest.
 *
 * @param zDim          latent size
 * @param channels      image channels, 1 or 3
 * @param imageSize     image side; the nets are built for 32 (4 → 8 → 16 → 32)
 * @param convDim       width of the first discriminator / last generator convolution
 * @param batchNorm     BatchNorm on hidden layers (false trains the same nets without it)
 * @param learningRate  Adam learning rate, for both nets
 * @param beta1         Adam β1
 * @param beta2         Adam β2
 * @param leakySlope    LeakyReLU slope in the discriminator
 * @param weightStd     standard deviation of the N(0, σ) weight initialisation
 * @param discriminatorBatches what one discriminator pass holds in training ({@link DiscriminatorBatches});
 *                      null (checkpoints from before the option) reads as {@link DiscriminatorBatches#SEPARATE}
 */
public record DcganConfig(int zDim, int channels, int imageSize, int convDim, boolean batchNorm,
                          double learningRate, double beta1, double beta2, double leakySlope, double weightStd,
                          DiscriminatorBatches discriminatorBatches) {

    public static final int SUPPORTED_IMAGE_SIZE = 32;

    public DcganConfig {
        require(zDim > 0, "zDim must be positive, got " + zDim);
        require(channels == 1 || channels == 3, "channels must be 1 or 3, got " + channels);
        require(imageSize == SUPPORTED_IMAGE_SIZE,
                "the DCGAN is built for " + SUPPORTED_IMAGE_SIZE + "x" + SUPPORTED_IMAGE_SIZE + " images, got " + imageSize);
        require(convDim > 0, "convDim must be positive, got " + convDim);
        require(learningRate > 0, "learning rate must be positive, got " + learningRate);
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam betas must lie in [0, 1)");
        require(weightStd > 0, "weightStd must be positive, got " + weightStd);
        if (discriminatorBatches == null) {
            discriminatorBatches = DiscriminatorBatches.SEPARATE;
        }
    }

    /** The seed's recipe: real and fake batches through D separately. */
    public DcganConfig(int zDim, int channels, int imageSize, int convDim, boolean batchNorm, double learningRate,
                       double beta1, double beta2, double leakySlope, double weightStd) {
        this(zDim, channels, imageSize, convDim, batchNorm, learningRate, beta1, beta2, leakySlope, weightStd,
                DiscriminatorBatches.SEPARATE);
    }

    /** The seed's defaults for the given number of channels. */
    public static DcganConfig defaults(int channels) {
        return new DcganConfig(100, channels, SUPPORTED_IMAGE_SIZE, 32, true, 2e-4, 0.5, 0.999, 0.2, 0.02);
    }

    public DcganConfig withConvDim(int value) {
        return new DcganConfig(zDim, channels, imageSize, value, batchNorm, learningRate, beta1, beta2, leakySlope, weightStd,
                discriminatorBatches);
    }

    public DcganConfig withBatchNorm(boolean value) {
        return new DcganConfig(zDim, channels, imageSize, convDim, value, learningRate, beta1, beta2, leakySlope, weightStd,
                discriminatorBatches);
    }

    public DcganConfig withLearningRate(double value) {
        return new DcganConfig(zDim, channels, imageSize, convDim, batchNorm, value, beta1, beta2, leakySlope, weightStd,
                discriminatorBatches);
    }

    public DcganConfig withDiscriminatorBatches(DiscriminatorBatches value) {
        return new DcganConfig(zDim, channels, imageSize, convDim, batchNorm, learningRate, beta1, beta2, leakySlope,
                weightStd, value);
    }

    /** Side of the smallest feature map, where the generator starts and the discriminator ends. */
    public int baseSize() {
        return imageSize / 8;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
