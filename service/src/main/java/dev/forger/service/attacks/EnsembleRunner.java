package dev.forger.service.attacks;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs an {@link EnsembleAttack}: each member through {@link AttackRunner}, as a single attack, on the images
 * that no member before it broke. An image's result is that of the first member that broke it, or, when none
 * did, the one whose returned image came closest to the goal (the smallest margin); its calls are the sum over
 * every member that worked on it (each member scores its originals and its results, so an image that reaches
 * the third member was scored six times besides the attacks' own calls).
 */
final class EnsembleRunner {
    private EnsembleRunner() {}

    static AttackOutcome run(EnsembleAttack ensemble, AttackParameters parameters, AttackModel model, float[] images,
                             int count) {
        int size = model.space().size();
        ImageOutcome[] chosen = new ImageOutcome[count];
        String[] brokenBy = new String[count];
        int[] gradientCalls = new int[count];
        int[] forwardCalls = new int[count];
        int[] zeroGradientCalls = new int[count];
        boolean[] open = new boolean[count];
        java.util.Arrays.fill(open, true);
        float[] adversarial = new float[count * size];
        float[] originals = null;
        List<AttackOutcome.MemberRun> runs = new ArrayList<>();
        for (ResolvedAttack member : ensemble.members(parameters)) {
            int[] which = Batch.where(open);
            String name = member.attack().name();
            if (which.length == 0) {
                runs.add(new AttackOutcome.MemberRun(name, 0, 0, 0, 0));
                continue;
            }
            AttackOutcome outcome = AttackRunner.run(member, subset(model, which), Batch.gather(images, which, size),
                    which.length);
            if (originals == null) {
                originals = outcome.originals(); // the first member sees every image
            }
            int broken = 0;
            long gradients = 0;
            long forwards = 0;
            for (int k = 0; k < which.length; k++) {
                int i = which[k];
                ImageOutcome r = outcome.results().get(k);
                gradientCalls[i] += r.gradientCalls();
                forwardCalls[i] += r.forwardCalls();
                zeroGradientCalls[i] += r.zeroGradientCalls();
                gradients += r.gradientCalls();
                forwards += r.forwardCalls();
                if (chosen[i] == null || r.success() || closer(r, chosen[i], parameters.goal())) {
                    chosen[i] = r;
                    System.arraycopy(outcome.adversarial(), k * size, adversarial, i * size, size);
                }
                if (r.success()) {
                    open[i] = false;
                    broken++;
                    brokenBy[i] = r.alreadyAtGoal() ? null : name;
                }
            }
            runs.add(new AttackOutcome.MemberRun(name, which.length, broken, gradients, forwards));
        }
        List<ImageOutcome> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ImageOutcome r = chosen[i];
            results.add(new ImageOutcome(i, r.success(), r.originalLogit(), r.adversarialLogit(), r.linf(), r.l2(),
                    gradientCalls[i], forwardCalls[i], r.alreadyAtGoal(), r.firstGoalCall(), zeroGradientCalls[i], brokenBy[i]));
        }
        return new AttackOutcome(List.copyOf(results), adversarial, originals, List.copyOf(runs));
    }

    /**
     * The model as a run on the images {@code which} of the ensemble's run sees it: image k of the member's
     * run is image which[k] of the ensemble's, so a model that answers per image (a class goal) keeps each
     * image's own goal through the member's own per-call views.
     */
    private static AttackModel subset(AttackModel model, int[] which) {
        return new AttackModel() {
            @Override
            public dev.forger.service.imaging.ImageShape imageShape() {
                return model.imageShape();
            }

            @Override
            public AttackSpace space() {
                return model.space();
            }

            @Override
            public AttackModel forImages(int[] owners) {
                int[] outer = new int[owners.length];
                for (int k = 0; k < owners.length; k++) {
                    outer[k] = which[owners[k]];
                }
                return model.forImages(outer);
            }

            @Override
            public float[] logits(float[] images, int count) {
                return model.forImages(which).logits(images, count);
            }

            @Override
            public LogitsAndGradients gradients(float[] images, float[] labels, int count) {
                return model.forImages(which).gradients(images, labels, count);
            }
        };
    }

    /** Whether {@code candidate}'s returned image is nearer its goal than {@code best}'s (both failed). */
    private static boolean closer(ImageOutcome candidate, ImageOutcome best, Goal goal) {
        float label = goal.label(candidate.originalLogit());
        return Logits.margin(candidate.adversarialLogit(), label) < Logits.margin(best.adversarialLogit(), label);
    }
}
