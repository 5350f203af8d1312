package dev.forger.trainer.training;

import dev.forger.trainer.nets.DcganConfig;
import dev.forger.trainer.nets.DcganNets;
import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times full GAN iterations (D on real + fake, then G through D) on random data, after a warm-up.
 * A measurement, not a test: the {@code benchmark} command prints it, and the README records it.
 */
public final class IterationBenchmark {

    /** @param secondsPerIteration median wall time of one iteration */
    public record Result(int batchSize, int iterations, double secondsPerIteration, double imagesPerSecond) {
    }

    private IterationBenchmark() {
    }

    public static Result run(DcganConfig config, int batchSize, int warmup, int iterations) {
        MultiLayerNetwork g = DcganNets.generator(config, 1);
        MultiLayerNetwork d = DcganNets.discriminator(config, 2);
        GanStep step = new GanStep(g, d);
        LatentSampler latents = new LatentSampler(3, config.zDim());
        Random random = new Random(4);
        float[] pixels = new float[batchSize * config.channels() * config.imageSize() * config.imageSize()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat() * 2 - 1;
        }
        INDArray real = Nd4j.create(pixels, new long[] {batchSize, config.channels(), config.imageSize(), config.imageSize()}, 'c');
        double[] seconds = new double[iterations];
        for (int i = 0; i < warmup + iterations; i++) {
            long start = System.nanoTime();
            step.run(real, latents.next(batchSize), latents.next(batchSize), i, 1);
            if (i >= warmup) {
                seconds[i - warmup] = (System.nanoTime() - start) / 1e9;
            }
        }
        Arrays.sort(seconds);
        double median = seconds[iterations / 2];
        return new Result(batchSize, iterations, median, batchSize / median);
    }
}
