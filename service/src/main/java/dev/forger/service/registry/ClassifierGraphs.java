package dev.forger.service.registry;

import dev.forger.service.attacks.AttackSpace;
import dev.forger.service.attacks.BatcherAttackModel.Submitter;
import dev.forger.service.attacks.ClassifierNetworks;
import dev.forger.service.imaging.ImageShape;
import java.util.Map;

/**
 * {@link ClassifierNetworks} over a bundle's cached graphs: verdicts from one submitter ({@code [point]} in,
 * {@code [logits | logit]} out), gradients from one per loss ({@code [point | class | weight | realism]} in,
 * {@code [logits | logit | grad]} out), every call through the graphs' micro-batchers.
 */
final class ClassifierGraphs implements ClassifierNetworks {
    private final AttackSpace space;
    private final ImageShape imageShape;
    private final int classes;
    private final Submitter verdicts;
    private final Map<ClassLoss, Submitter> gradients;

    ClassifierGraphs(AttackSpace space, ImageShape imageShape, int classes, Submitter verdicts,
                     Map<ClassLoss, Submitter> gradients) {
        this.space = space;
        this.imageShape = imageShape;
        this.classes = classes;
        this.verdicts = verdicts;
        this.gradients = Map.copyOf(gradients);
    }

    @Override
    public AttackSpace space() {
        return space;
    }

    @Override
    public ImageShape imageShape() {
        return imageShape;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public float[] verdicts(float[] points, int count) {
        return verdicts.submit(points, count).join();
    }

    @Override
    public float[] gradients(float[] points, int[] classIndices, float[] weights, float[] realism, int count,
                             ClassLoss loss) {
        int size = space.size();
        int item = size + 3;
        float[] items = new float[count * item];
        for (int i = 0; i < count; i++) {
            System.arraycopy(points, i * size, items, i * item, size);
            items[i * item + size] = classIndices[i]; // the runner turns it back into int64
            items[i * item + size + 1] = weights[i];
            items[i * item + size + 2] = realism[i];
        }
        return gradients.get(loss).submit(items, count).join();
    }
}
