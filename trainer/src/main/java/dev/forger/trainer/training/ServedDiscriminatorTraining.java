package dev.forger.trainer.training;

import dev.forger.trainer.Seeds;
import dev.forger.trainer.data.ImageSet;
import dev.forger.trainer.nets.BatchNormFolding;
import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.report.TrainingProgress;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The discriminator the bundle serves: the GAN's final discriminator with its BatchNorm folded into its convolutions
 * ({@link BatchNormFolding}, exactly its inference-mode function), then trained for a few steps more, alone, on what
 * a served discriminator is asked — one image at a time, real training images against the final generator's
 * images (the generator in inference mode, as served).
 *
 * <p>Why: the GAN's discriminator learns in training mode on all-real and all-fake batches, each normalised by its
 * own statistics, and leans on batch-level differences that a single image cannot show; with running statistics it
 * called 95 % of held-out real digits fake (issue 10). Without BatchNorm, training mode and inference mode are the
 * same function, so these steps teach it exactly what it computes when served. The GAN's own path is untouched:
 * this runs after the last epoch, on streams of its own.
 */
final class ServedDiscriminatorTraining {

    private ServedDiscriminatorTraining() {
    }

    /** What the phase measured over its last steps (training mode = inference mode here). */
    record Result(MultiLayerNetwork discriminator, double meanRealProbability, double meanFakeProbability) {
    }

    /**
     * @param steps Adam steps, each on {@code batchSize} real and as many generated images
     */
    static Result train(MultiLayerNetwork g, MultiLayerNetwork d, DcganConfig config, ImageSet train, int steps,
                        int batchSize, long seed, PrintStream log) {
        MultiLayerNetwork served = BatchNormFolding.foldDiscriminator(d, config,
                Seeds.derive(seed, Seeds.SERVED_DISCRIMINATOR_INIT));
        LatentSampler latents = new LatentSampler(Seeds.derive(seed, Seeds.SERVED_DISCRIMINATOR_LATENTS), config.zDim());
        int perPass = train.size() / batchSize;
        float[] buffer = new float[batchSize * train.imageSize()];
        long[] shape = {batchSize, train.channels(), train.height(), train.width()};
        int[] order = null;
        double realSum = 0;
        double fakeSum = 0;
        int window = Math.max(1, Math.min(steps, perPass));
        try (TrainingProgress progress = TrainingProgress.start("served discriminator", steps, log)) {
            for (int step = 0; step < steps; step++) {
                int inPass = step % perPass;
                if (inPass == 0) {
                    order = ImageSet.permutation(train.size(),
                            Seeds.derive(seed, Seeds.SERVED_DISCRIMINATOR_ORDER, step / perPass));
                }
                int[] indices = Arrays.copyOfRange(order, inPass * batchSize, (inPass + 1) * batchSize);
                INDArray real = Nd4j.create(train.batch(indices, buffer), shape, 'c');
                INDArray fake = g.output(latents.next(batchSize), false);
                GanStep.Pass onReal = GanStep.pass(served, real, 1.0);
                INDArray realGradient = onReal.gradient().gradient().dup();
                GanStep.Pass onFake = GanStep.pass(served, fake, 0.0);
                Gradient gradient = onFake.gradient();
                gradient.gradient().addi(realGradient);
                GanStep.apply(served, gradient, step, 0, batchSize);
                if (step >= steps - window) {
                    realSum += onReal.loss().meanProbability();
                    fakeSum += onFake.loss().meanProbability();
                }
                progress.step(String.format(Locale.ROOT, "P(real) real %.2f, generated %.2f",
                        onReal.loss().meanProbability(), onFake.loss().meanProbability()));
            }
        }
        return new Result(served, realSum / window, fakeSum / window);
    }
}
