package dev.forger.trainer.training;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Binary cross-entropy on the discriminator's logits, computed in the numerically stable form
 * {@code max(l, 0) - l·y + log(1 + exp(-|l|))}, whose derivative is {@code sigmoid(l) - y}.
 *
 * <p>The trainer computes the loss itself (instead of a DL4J output layer with a sigmoid) so that the
 * network's output is the logit the export and the service use, and so that D(x) comes for free.
 *
 * @param meanLoss        mean loss over the batch
 * @param meanProbability mean sigmoid(logit): D's average belief that the batch is real
 * @param gradient        dLoss/dlogit per sample, [N, 1], not divided by N (DL4J's updater divides)
 */
public record LogitLoss(double meanLoss, double meanProbability, INDArray gradient) {

    public static LogitLoss of(INDArray logits, double target) {
        float[] l = logits.dup('c').data().asFloat();
        float[] grad = new float[l.length];
        double lossSum = 0;
        double probabilitySum = 0;
        for (int i = 0; i < l.length; i++) {
            double x = l[i];
            double p = sigmoid(x);
            lossSum += Math.max(x, 0) - x * target + Math.log1p(Math.exp(-Math.abs(x)));
            probabilitySum += p;
            grad[i] = (float) (p - target);
        }
        return new LogitLoss(lossSum / l.length, probabilitySum / l.length,
                Nd4j.create(grad, new long[] {l.length, 1}, 'c'));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
