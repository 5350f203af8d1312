package dev.forger.service.robustness;

import dev.forger.service.attacks.AttackLimits;
import dev.forger.service.inference.LatentSampler;
import java.util.List;

/**
 * One unit of an on/off-manifold evaluation: one search over one slice of the generated digits. The latents are
 * drawn again from the evaluation's seed (the same sequence /generate and the stored images come from), the
 * images are the stored ones.
 */
final class ManifoldUnit {
    private ManifoldUnit() {}

    /** The unit's rows as the store keeps them (JSON). */
    static String run(UnitWork work, int runIndex, ThreatAttacks threats, AttackLimits limits) {
        EvaluationSpec spec = work.spec();
        ManifoldSearch search = spec.manifold().searches(spec.seed()).get(runIndex);
        float[] z = LatentSampler.sample(work.model().manifest().latent(), spec.images().seed(), work.firstImage(),
                work.count());
        List<ManifoldRow> rows = search.run(threats, work.model(), limits, z, work.slice(), work.count(),
                work.firstImage());
        return UnitResults.write(rows);
    }
}
