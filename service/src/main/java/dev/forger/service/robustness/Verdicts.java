package dev.forger.service.robustness;

/**
 * What the bundle's networks say of a batch of images: per image the discriminator's logit and, when the
 * bundle has a classifier, the class it predicts with the softmax probability of that class.
 *
 * @param classes null without a classifier
 * @param classProbabilities null without a classifier
 */
public record Verdicts(float[] logits, int[] classes, float[] classProbabilities) {

    /** From the classifier networks' {@code [K logits | D logit]} items. */
    static Verdicts ofClassifier(float[] items, int count, int k) {
        float[] logits = new float[count];
        int[] classes = new int[count];
        float[] probabilities = new float[count];
        for (int i = 0; i < count; i++) {
            int at = i * (k + 1);
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (items[at + j] > items[at + best]) {
                    best = j;
                }
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp((double) items[at + j] - items[at + best]);
            }
            classes[i] = best;
            probabilities[i] = (float) (1 / sum);
            logits[i] = items[at + k];
        }
        return new Verdicts(logits, classes, probabilities);
    }

    static Verdicts ofDiscriminator(float[] logits) {
        return new Verdicts(logits, null, null);
    }

    public boolean hasClasses() {
        return classes != null;
    }

    /** The discriminator's P(real) of image i. */
    public double realProbability(int i) {
        double z = logits[i];
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}
