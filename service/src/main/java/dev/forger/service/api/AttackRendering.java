package dev.forger.service.api;

import dev.forger.service.attacks.AttackOutcome;
import dev.forger.service.attacks.ImageOutcome;
import dev.forger.service.attacks.ResolvedAttack;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.NpyWriter;
import dev.forger.service.imaging.PngWriter;
import dev.forger.service.imaging.Rasters;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.robustness.AttackFigure;
import dev.forger.service.robustness.ThreatOutcome;
import dev.forger.service.robustness.Verdicts;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An attack's outcome in the representation the client asked for. {@code before}/{@code after}, when given (class
 * goals), are the networks' verdicts: the discriminator's logits there replace the outcome's scores (a class goal's
 * margins) everywhere a verdict is shown, and the classifier's prediction joins the JSON.
 */
record AttackRendering(LoadedModel model, ResolvedAttack attack, AttackOutcome outcome, long elapsedMs,
                       PngWriter png, Map<String, Object> parameters, Verdicts before, Verdicts after) {

    AttackRendering(LoadedModel model, ResolvedAttack attack, AttackOutcome outcome, long elapsedMs, PngWriter png) {
        this(model, attack, outcome, elapsedMs, png, AttackParametersEcho.of(attack), null, null);
    }

    /** The rendering of an attack under a threat (class goals): D's verdicts shown, the class goal echoed. */
    static AttackRendering of(LoadedModel model, ResolvedAttack attack, ThreatOutcome threat, long elapsedMs,
                              PngWriter png, Map<String, Object> parameters) {
        List<ImageOutcome> shown = new ArrayList<>();
        for (ImageOutcome r : threat.outcome().results()) {
            shown.add(new ImageOutcome(r.index(), r.success(), threat.before().logits()[r.index()],
                    threat.after().logits()[r.index()], r.linf(), r.l2(), r.gradientCalls(), r.forwardCalls(),
                    r.alreadyAtGoal(), r.firstGoalCall(), r.zeroGradientCalls(),
                    r.brokenBy()));
        }
        AttackOutcome outcome = new AttackOutcome(List.copyOf(shown), threat.outcome().adversarial(),
                threat.outcome().originals(), threat.outcome().members());
        return new AttackRendering(model, attack, outcome, elapsedMs, png, parameters, threat.before(), threat.after());
    }

    Response render(AttackFormat format) {
        ImageBatch adversarial = new ImageBatch(model.imageShape(), outcome.results().size(), outcome.adversarial());
        Response.ResponseBuilder response = switch (format) {
            case JSON -> Response.ok(json(adversarial));
            case NPY -> withScores(Response.ok(NpyWriter.write(adversarial)))
                    .header("Content-Disposition", "attachment; filename=\"adversarial.npy\"");
            case PNG -> withScores(Response.ok(png.encode(Rasters.toImage(adversarial, 0))))
                    .header("Content-Disposition", "inline; filename=\"adversarial.png\"");
            case FIGURE -> Response.ok(png.encode(AttackFigure.draw(
                    new ImageBatch(model.imageShape(), adversarial.count(), outcome.originals()), adversarial,
                    outcome.results(), attack.attack().name())));
        };
        return response.type(format.mediaType).header("X-Forger-Model", model.name())
                .header("X-Forger-Method", attack.attack().name()).build();
    }

    private AttackResponse json(ImageBatch adversarial) {
        Base64.Encoder base64 = Base64.getEncoder();
        List<AttackResponse.Result> results = new ArrayList<>(adversarial.count());
        for (ImageOutcome r : outcome.results()) {
            results.add(new AttackResponse.Result(r.index(), r.success(),
                    verdict(r.originalLogit(), r.originalProbability(), before, r.index()),
                    verdict(r.adversarialLogit(), r.adversarialProbability(), after, r.index()),
                    r.linf(), r.l2(), r.gradientCalls(), r.forwardCalls(), r.alreadyAtGoal(), r.brokenBy(),
                    base64.encodeToString(png.encode(Rasters.toImage(adversarial, r.index())))));
        }
        return new AttackResponse(model.name(), attack.attack().name(), parameters, results, elapsedMs,
                AttackParametersEcho.members(attack, outcome));
    }

    static AttackResponse.Verdict verdict(double logit, double probability, Verdicts verdicts, int i) {
        if (verdicts == null || !verdicts.hasClasses()) {
            return new AttackResponse.Verdict(logit, probability);
        }
        return new AttackResponse.Verdict(logit, probability, verdicts.classes()[i],
                (double) verdicts.classProbabilities()[i]);
    }

    /** Headers for binary answers: one comma-separated value per image, in upload order. */
    private Response.ResponseBuilder withScores(Response.ResponseBuilder response) {
        return response
                .header("X-Forger-Success", each(r -> Boolean.toString(r.success())))
                .header("X-Forger-Already-At-Goal", each(r -> Boolean.toString(r.alreadyAtGoal())))
                .header("X-Forger-Original-Logit", each(r -> number(r.originalLogit())))
                .header("X-Forger-Original-Real-Probability", each(r -> number(r.originalProbability())))
                .header("X-Forger-Adversarial-Logit", each(r -> number(r.adversarialLogit())))
                .header("X-Forger-Adversarial-Real-Probability", each(r -> number(r.adversarialProbability())))
                .header("X-Forger-Linf", each(r -> number(r.linf())))
                .header("X-Forger-L2", each(r -> number(r.l2())))
                .header("X-Forger-Broken-By", each(r -> r.brokenBy() == null ? "-" : r.brokenBy()))
                .header("X-Forger-Elapsed-Ms", elapsedMs);
    }

    private String each(Function<ImageOutcome, String> value) {
        return outcome.results().stream().map(value).collect(Collectors.joining(","));
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
