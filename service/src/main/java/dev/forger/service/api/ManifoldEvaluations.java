package dev.forger.service.api;

import dev.forger.service.attacks.AttackLimits;
import dev.forger.service.attacks.Norm;
import dev.forger.service.inference.LatentSampler;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.registry.ModelRegistry;
import dev.forger.service.robustness.EvaluationJob;
import dev.forger.service.robustness.EvaluationJobs;
import dev.forger.service.robustness.ManifoldGallery;
import dev.forger.service.robustness.ManifoldPlan;
import dev.forger.service.robustness.ManifoldReport;
import dev.forger.service.robustness.ManifoldRow;
import dev.forger.service.robustness.ManifoldSearch;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The on/off-manifold evaluation type of {@code POST /evaluate}: its plan from a request, and its gallery. */
final class ManifoldEvaluations {
    static final String ROBUSTNESS = "robustness";
    static final String MANIFOLD = "manifold";

    private ManifoldEvaluations() {}

    /**
     * The searches a {@code "type": "manifold"} request asks for, every value checked now; null for the default
     * type (an attack sweep).
     *
     * @throws ClientProblem naming the field: sweep fields on a manifold request, bounds out of range, or a model
     *                       without latent graphs (422)
     */
    static ManifoldPlan plan(LoadedModel model, EvaluateRequest request, AttackLimits limits) {
        String type = request.type() == null ? ROBUSTNESS : request.type().strip().toLowerCase(Locale.ROOT);
        if (type.equals(ROBUSTNESS)) {
            for (Object manifoldOnly : new Object[] {request.norm(), request.pixelBound(), request.latentBound(),
                    request.steps(), request.searchSteps()}) {
                if (manifoldOnly != null) {
                    throw new ClientProblem(ProblemType.INVALID_PARAMETER, "type", "norm, pixelBound, latentBound,"
                            + " steps and searchSteps belong to \"type\": \"manifold\"; a robustness evaluation takes"
                            + " them per attack (attacks: [{\"method\": \"pgd\", \"norm\": \"l2\", \"steps\": 50}])");
                }
            }
            return null;
        }
        if (!type.equals(MANIFOLD)) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "type", "type must be robustness (attacks over an"
                    + " epsilon sweep, the default) or manifold (the smallest pixel ε and latent δ that change the"
                    + " verdicts), was '" + request.type() + "'");
        }
        if (request.attacks() != null || request.epsilons() != null || request.goal() != null) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, request.attacks() != null ? "attacks"
                    : request.epsilons() != null ? "epsilons" : "goal", "a manifold evaluation searches with bisection"
                    + " for the smallest budgets that flip the discriminator (and change the digit); leave attacks,"
                    + " epsilons and goal out, and set norm, pixelBound, latentBound, steps or searchSteps instead");
        }
        if (model.latentAttackModel().isEmpty()) {
            throw new ClientProblem(ProblemType.UNSUPPORTED_BY_MODEL, "model", "model '" + model.name() + "' cannot"
                    + " be attacked in latent space (" + model.latentUnavailable() + "), which a manifold evaluation"
                    + " needs");
        }
        Norm norm = request.norm() == null ? Norm.L2 : Norm.parse(request.norm());
        double pixelBound = bound("pixelBound", request.pixelBound(), norm == Norm.L2 ? 3.0 : 0.25,
                norm == Norm.L2 ? 100 : 1);
        double latentBound = bound("latentBound", request.latentBound(), norm == Norm.L2 ? 3.0 : 0.5, 100);
        int steps = request.steps() == null ? 50 : request.steps();
        int searchSteps = request.searchSteps() == null ? 6 : request.searchSteps();
        ManifoldPlan plan = new ManifoldPlan(norm.label(), pixelBound, latentBound, steps, searchSteps,
                model.classifierNetworks(true).isPresent() && model.classifierNetworks(false).isPresent());
        for (ManifoldSearch search : plan.searches(0)) {
            search.attack(limits, model); // steps, searchSteps and the latent bound against forger.attacks.*
        }
        return plan;
    }

    private static double bound(String field, Double value, double fallback, double max) {
        double v = value == null ? fallback : value;
        if (!(v > 0 && v <= max)) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, field, field + " must be in (0, " + (int) max
                    + "], was " + value + (field.equals("pixelBound") ? " (pixel units of [0, 1])" : " (latent units)"));
        }
        return v;
    }

    /** The gallery of a manifold evaluation's finished searches. */
    static BufferedImage gallery(EvaluationJob job, EvaluationJobs jobs, ModelRegistry registry) {
        if (!job.spec().isManifold()) {
            throw new ClientProblem(ProblemType.NOT_FOUND, "id", "evaluation " + job.id() + " is an attack sweep;"
                    + " galleries belong to manifold evaluations (\"type\": \"manifold\"); its chart is at "
                    + EvaluateResource.PATH + "/" + job.id() + "/chart");
        }
        List<List<ManifoldRow>> all = jobs.manifoldRows(job);
        List<List<ManifoldRow>> rows = new ArrayList<>();
        for (List<ManifoldRow> r : all) {
            if (r != null) {
                rows.add(r.subList(0, Math.min(ManifoldSearch.GALLERY, r.size())));
            }
        }
        ManifoldReport report = job.report() == null ? null : job.report().manifold();
        if (rows.isEmpty() || report == null) {
            throw new ClientProblem(ProblemType.NOT_FOUND, "id", "no search of evaluation " + job.id() + " has"
                    + " finished yet; its progress says how far it is");
        }
        LoadedModel model = registry.get(job.spec().model());
        int shown = rows.get(0).size();
        float[] originals = model.generate(LatentSampler.sample(model.manifest().latent(), job.spec().images().seed(),
                shown), shown).join();
        return ManifoldGallery.draw(model, report, rows, originals);
    }
}
