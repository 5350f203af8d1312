package dev.forger.graph.compose;

import dev.forger.graph.autodiff.GradientGraph;
import dev.forger.graph.autodiff.Loss;
import dev.forger.graph.autodiff.Objective;
import dev.forger.graph.autodiff.Objective.Term;
import dev.forger.graph.onnx.OnnxModel;
import java.util.List;

/**
 * The graphs attacks need from a bundle's networks, composed ({@link Composition}) and
 * differentiated ({@link GradientGraph}) under fixed names, whatever the exporter called things:
 *
 * <table>
 *   <caption>graphs, their inputs and outputs</caption>
 *   <tr><th>graph</th><th>inputs</th><th>outputs</th><th>{@code grad} is the gradient of</th></tr>
 *   <tr><td>{@link #latentForward}</td><td>z</td><td>image, logit</td><td>(no gradient)</td></tr>
 *   <tr><td>{@link #latentClassifierForward}</td><td>z</td><td>image, logits, logit</td><td>(no gradient)</td></tr>
 *   <tr><td>{@link #pixelClassifierForward}</td><td>image</td><td>logits, logit</td><td>(no gradient)</td></tr>
 *   <tr><td>{@link #latentDiscriminatorGradient}</td><td>z, target</td><td>image, logit, grad</td>
 *       <td>BCE(logit, target) with respect to z</td></tr>
 *   <tr><td>{@link #latentClassifierGradient}</td><td>z, class, class_weight, realism</td>
 *       <td>image, logits, logit, grad</td>
 *       <td>class_weight · L(logits, class) + realism · BCE(logit, 1) with respect to z</td></tr>
 *   <tr><td>{@link #pixelClassifierGradient}</td><td>image, class, class_weight, realism</td>
 *       <td>logits, logit, grad</td><td>the same with respect to the image</td></tr>
 * </table>
 *
 * <p>Shapes: z float [N, dim], image float [N, C, H, W], logit [N,1] (the discriminator's), logits
 * [N, K] (the classifier's), target, class_weight and realism float [N,1], class int64 [N]. Every
 * parameter of a request is a per-sample input, so one cached graph serves any mix of requests in a
 * batch: class_weight +1 descends towards {@code class}, -1 moves away from it (class change);
 * realism λ ≥ 0 adds the discriminator's "real" verdict as a term (0 leaves it out). Each row of
 * {@code grad} is the gradient of that sample's own loss.
 */
public final class AttackGraphs {
    public static final String Z = "z";
    public static final String IMAGE = "image";
    public static final String LOGIT = "logit";
    public static final String LOGITS = "logits";
    public static final String GRAD = GradientGraph.GRAD;
    public static final String TARGET = Loss.TARGET;
    public static final String CLASS = Loss.CLASS;
    public static final String CLASS_WEIGHT = "class_weight";
    public static final String REALISM = "realism";

    private static final String GENERATOR = "generator";
    private static final String DISCRIMINATOR = "discriminator";
    private static final String CLASSIFIER = "classifier";

    private AttackGraphs() {}

    /** z -> generator -> discriminator in one run: input z, outputs image and logit. */
    public static OnnxModel latentForward(Net generator, Net discriminator) {
        return Composition.of(GENERATOR, generator.renamed(Z, IMAGE))
                .into(DISCRIMINATOR, discriminator.renamed(IMAGE, LOGIT))
                .connect(IMAGE, IMAGE).build();
    }

    /**
     * The latent counterpart of the pixel gradient graph: inputs z and target (1 real, 0 fake, per
     * sample), outputs image, logit and grad = d BCE(logit, target) / dz.
     */
    public static OnnxModel latentDiscriminatorGradient(Net generator, Net discriminator) {
        Objective objective = Objective.of(LOGIT, Loss.binaryCrossEntropyWithLogits());
        return GradientGraph.derive(latentForward(generator, discriminator), Z, objective, List.of(IMAGE, LOGIT));
    }

    /**
     * Unrestricted and on-manifold attacks on a classifier: z -> generator -> image, read by the
     * classifier and the discriminator. Inputs z, class, class_weight, realism; outputs image,
     * logits, logit and grad (see the class comment).
     *
     * @param classLoss {@link Loss#crossEntropy()} or {@link Loss#logitMargin()} (per-sample class), or
     *                  their fixed-class forms
     */
    public static OnnxModel latentClassifierGradient(Net generator, Net classifier, Net discriminator, Loss classLoss) {
        return GradientGraph.derive(latentClassifierForward(generator, classifier, discriminator), Z,
                classObjective(classLoss), List.of(IMAGE, LOGITS, LOGIT));
    }

    /** z -> generator -> image, read by the classifier and the discriminator: input z, outputs image, logits, logit. */
    public static OnnxModel latentClassifierForward(Net generator, Net classifier, Net discriminator) {
        OnnxModel generatorAndClassifier = Composition.of(GENERATOR, generator.renamed(Z, IMAGE))
                .into(CLASSIFIER, classifier.renamed(IMAGE, LOGITS))
                .connect(IMAGE, IMAGE).build();
        return Composition.of(generatorAndClassifier)
                .into(DISCRIMINATOR, discriminator.renamed(IMAGE, LOGIT))
                .connect(IMAGE, IMAGE).build();
    }

    /**
     * The pixel-space counterpart: the classifier and the discriminator read the same image. Inputs
     * image, class, class_weight, realism; outputs logits, logit and grad with respect to the image.
     */
    public static OnnxModel pixelClassifierGradient(Net classifier, Net discriminator, Loss classLoss) {
        return GradientGraph.derive(pixelClassifierForward(classifier, discriminator), IMAGE, classObjective(classLoss),
                List.of(LOGITS, LOGIT));
    }

    /** The classifier and the discriminator side by side on one image: input image, outputs logits, logit. */
    public static OnnxModel pixelClassifierForward(Net classifier, Net discriminator) {
        return Composition.of(CLASSIFIER, classifier.renamed(IMAGE, LOGITS))
                .into(DISCRIMINATOR, discriminator.renamed(IMAGE, LOGIT))
                .connect(IMAGE, IMAGE).build();
    }

    /** class_weight · classLoss(logits) + realism · BCE(logit, real). */
    private static Objective classObjective(Loss classLoss) {
        if (!classLoss.isClassLoss()) {
            throw new IllegalArgumentException("the classifier term needs a class loss (crossEntropy or logitMargin), not "
                    + classLoss);
        }
        return Objective.of(Term.on(LOGITS, classLoss).weightedBy(CLASS_WEIGHT),
                Term.on(LOGIT, Loss.binaryCrossEntropyWithLogits(1f)).weightedBy(REALISM));
    }
}
