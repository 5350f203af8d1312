package dev.forger.service.registry;

import dev.forger.service.attacks.AttackModel;
import dev.forger.service.attacks.ClassifierNetworks;
import dev.forger.service.attacks.ClassifierNetworks.ClassLoss;
import java.util.Optional;

/**
 * The warm-up of a bundle's classifier and composed graphs: each runs once on the warm-up latent and its
 * image, and must agree with the networks it was built from (the latent graphs' logit with D(G(z)), the
 * class graphs' logits with the classifier's), so that a composition that wired the wrong values together
 * refuses the bundle instead of serving wrong answers. Also pays ORT's lazy initialisation before the first
 * client does.
 */
final class ComposedWarmUp {
    private ComposedWarmUp() {}

    static void check(LoadedModel model, float[] z, float[] image, float logit, float tolerance) {
        Optional<AttackModel> latent = model.latentAttackModel();
        if (latent.isPresent()) {
            agree("the latent graph z → G → D", latent.get().logits(z, 1)[0], logit, tolerance);
            agree("the latent gradient graph", latent.get().gradients(z, new float[] {1f}, 1).logits()[0], logit,
                    tolerance);
        }
        if (!model.hasClassifier()) {
            return;
        }
        float[] logits = model.classify(image, 1).join();
        for (float v : logits) {
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("the classifier answered " + v);
            }
        }
        for (boolean inLatent : new boolean[] {false, true}) {
            Optional<ClassifierNetworks> networks = model.classifierNetworks(inLatent);
            if (networks.isEmpty()) {
                continue;
            }
            String space = inLatent ? "latent" : "pixel";
            float[] point = inLatent ? z : image;
            float[] verdicts = networks.get().verdicts(point, 1);
            for (ClassLoss loss : ClassLoss.values()) {
                float[] out = networks.get().gradients(point, new int[] {0}, new float[] {1f}, new float[] {1f}, 1, loss);
                for (int k = 0; k < logits.length; k++) {
                    agree("the " + space + " class gradient graph (" + loss + ")", out[k], logits[k], tolerance);
                }
                agree("the " + space + " class gradient graph's discriminator", out[logits.length], logit, tolerance);
            }
            for (int k = 0; k < logits.length; k++) {
                agree("the " + space + " classifier graph", verdicts[k], logits[k], tolerance);
            }
            agree("the " + space + " classifier graph's discriminator", verdicts[logits.length], logit, tolerance);
        }
    }

    private static void agree(String what, float got, float expected, float tolerance) {
        if (!(Math.abs(got - expected) <= tolerance * (1 + Math.abs(expected)))) {
            throw new IllegalStateException(what + " answered " + got + " where the networks it was built from answered "
                    + expected + ": it was composed wrongly");
        }
    }
}
