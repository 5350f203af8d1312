package dev.forger.service.robustness;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.Goal;
import dev.forger.service.attacks.Norm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an on/off-manifold evaluation searches, stored in its {@link EvaluationSpec}: for the same generated
 * digits the smallest pixel ε and the smallest latent δ that flip the discriminator and, when {@code classChange}
 * (the bundle has a classifier), that change the digit. One run per search, in the order of {@link #searches()}.
 *
 * @param norm        linf or l2, for both spaces
 * @param pixelBound  the largest ε searched, pixel units of [0, 1]
 * @param latentBound the largest δ searched, latent units
 * @param steps       Auto-PGD steps per bisection trial
 * @param searchSteps halvings of the interval
 */
public record ManifoldPlan(String norm, double pixelBound, double latentBound, int steps, int searchSteps,
                           boolean classChange) {

    /** The searches, in run order: pixel D flip, latent D flip, then pixel and latent class change. */
    @JsonIgnore
    public List<ManifoldSearch> searches(long seed) {
        Norm n = Norm.parse(norm);
        List<ManifoldSearch> searches = new ArrayList<>();
        for (boolean classes : classChange ? new boolean[] {false, true} : new boolean[] {false}) {
            searches.add(new ManifoldSearch(false, classes, n, pixelBound, steps, searchSteps, seed));
            searches.add(new ManifoldSearch(true, classes, n, latentBound, steps, searchSteps, seed));
        }
        return searches;
    }

    /** The spec's runs, one per search, for provenance and the unit plan. */
    @JsonIgnore
    List<EvaluationSpec.Run> runs(long seed) {
        List<EvaluationSpec.Run> runs = new ArrayList<>();
        List<ManifoldSearch> searches = searches(seed);
        for (int i = 0; i < searches.size(); i++) {
            runs.add(new EvaluationSpec.Run(i, "bisection", norm.toLowerCase(Locale.ROOT), searches.get(i).bound()));
        }
        return runs;
    }

    /** The searches as attack requests (bisection with its bound, steps and search steps), as the history shows them. */
    @JsonIgnore
    List<AttackRequest> requests(long seed) {
        return searches(seed).stream().map(s -> new AttackRequest("bisection", s.bound(), s.norm(), steps, null, false,
                seed, s.classChange() ? Goal.REAL : Goal.FLIP, false, null, null, null, searchSteps, null, null, false))
                .toList();
    }
}
