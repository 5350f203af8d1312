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
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An attack's outcome in the representation the client asked for. */
record AttackRendering(LoadedModel model, ResolvedAttack attack, AttackOutcome outcome, long elapsedMs,
                       PngWriter png) {

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
                    new AttackResponse.Verdict(r.originalLogit(), r.originalProbability()),
                    new AttackResponse.Verdict(r.adversarialLogit(), r.adversarialProbability()),
                    r.linf(), r.l2(), r.gradientCalls(), r.forwardCalls(), r.alreadyAtGoal(), r.brokenBy(),
                    base64.encodeToString(png.encode(Rasters.toImage(adversarial, r.index())))));
        }
        return new AttackResponse(model.name(), attack.attack().name(), AttackParametersEcho.of(attack), results,
                elapsedMs, AttackParametersEcho.members(attack, outcome));
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
