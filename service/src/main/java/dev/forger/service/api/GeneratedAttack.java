package dev.forger.service.api;

import dev.forger.graph.manifest.BundleManifest;
import dev.forger.service.attacks.AttackRequest;
import dev.forger.service.attacks.AttackScope;
import dev.forger.service.attacks.ImageOutcome;
import dev.forger.service.attacks.ResolvedAttack;
import dev.forger.service.config.ForgerConfig;
import dev.forger.service.imaging.EncodingPool;
import dev.forger.service.imaging.ImageBatch;
import dev.forger.service.imaging.NpyWriter;
import dev.forger.service.imaging.PngWriter;
import dev.forger.service.imaging.Rasters;
import dev.forger.service.inference.LatentSampler;
import dev.forger.service.metrics.ForgerMetrics;
import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import dev.forger.service.registry.LoadedModel;
import dev.forger.service.robustness.Threat;
import dev.forger.service.robustness.ThreatAttacks;
import dev.forger.service.robustness.ThreatOutcome;
import dev.forger.service.robustness.VerdictFigure;
import dev.forger.service.security.Quota;
import dev.forger.service.security.Quotas;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /attack} with a JSON body: attacks on generated digits, given as latents (explicit, or count +
 * seed as {@code /generate} draws them), in latent space ({@code space=latent}: z is perturbed within δ, every
 * candidate an image the generator draws) or in pixel space (the generated image is). Goals are the
 * discriminator's or, for bundles with a classifier, class goals with a realism term. The answer holds both
 * latents, both images, their pixel distance and the verdicts.
 */
@ApplicationScoped
class GeneratedAttack {
    private final ForgerConfig config;
    private final ThreatAttacks threats;
    private final EncodingPool encoding;
    private final PngWriter png;
    private final ForgerMetrics metrics;
    @Inject
    Quotas quotas;

    GeneratedAttack(ForgerConfig config, ThreatAttacks threats, EncodingPool encoding, PngWriter png,
                    ForgerMetrics metrics) {
        this.config = config;
        this.threats = threats;
        this.encoding = encoding;
        this.png = png;
        this.metrics = metrics;
    }

    CompletionStage<Response> attack(LoadedModel model, byte[] body, AttackQuery query, String space,
                                     AttackFormat format) {
        LatentAttackRequest request = JsonBodies.read(body, LatentAttackRequest.class);
        if (request == null) {
            throw new ClientProblem(ProblemType.MISSING_BODY, null, "send the latents to attack as JSON:"
                    + " {\"count\": 8, \"seed\": 7} or {\"latents\": [[...], ...]}");
        }
        Threat threat = threat(model, query, AttackScope.parseLatent(space));
        float[] z = latents(model, request);
        int count = z.length / model.latentDim();
        if (format == AttackFormat.PNG && count != 1) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "format", "a PNG answer holds one image but "
                    + count + " latents were sent; ask for json, npy or figure");
        }
        AttackRequest attackRequest = query.toRequest(false, true);
        ResolvedAttack attack = threats.resolve(model, attackRequest, threat);
        quotas.charge(Quota.ATTACK_IMAGE_STEPS, Quotas.imageSteps(attack, count));
        long start = System.nanoTime();
        float[] points = threat.latent() ? z : model.generate(z, count).join();
        metrics.imagesGenerated(model.name(), count);
        return threats.submit(model, attack, threat, points, count).thenApplyAsync(outcome -> render(model, attack,
                threat, z, outcome, (System.nanoTime() - start) / 1_000_000, format), encoding);
    }

    static Threat threat(LoadedModel model, AttackQuery query, boolean latent) {
        if (!query.hasClassGoal()) {
            return new Threat(latent, null);
        }
        if (!model.hasClassifier()) {
            throw ThreatAttacks.noClassifier(model);
        }
        return new Threat(latent, query.classGoal(model.classNames().size()));
    }

    private float[] latents(LoadedModel model, LatentAttackRequest request) {
        int max = config.limits().maxImagesPerRequest();
        BundleManifest.Latent latent = model.manifest().latent();
        int dim = model.latentDim();
        if (request.latents() != null) {
            if (request.count() != null || request.seed() != null || request.offset() != null) {
                throw new ClientProblem(ProblemType.INVALID_PARAMETER, "latents", "give either latents or count and"
                        + " seed (with offset), not both");
            }
            List<float[]> latents = request.latents();
            if (latents.isEmpty() || latents.size() > max) {
                throw new ClientProblem(ProblemType.INVALID_PARAMETER, "latents", "latents must hold 1 to " + max
                        + " vectors (forger.limits.max-images-per-request), got " + latents.size());
            }
            float[] z = new float[latents.size() * dim];
            for (int i = 0; i < latents.size(); i++) {
                float[] v = latents.get(i);
                String field = "latents[" + i + "]";
                if (v == null || v.length != dim) {
                    throw new ClientProblem(ProblemType.INVALID_PARAMETER, field, field + " has " + (v == null ? "no"
                            : v.length) + " values; model '" + model.name() + "' takes vectors of " + dim);
                }
                for (int j = 0; j < dim; j++) {
                    if (!Float.isFinite(v[j])) {
                        throw new ClientProblem(ProblemType.NON_FINITE_VALUE, field, field + "[" + j + "] is " + v[j]
                                + "; latent values must be finite");
                    }
                    if (BundleManifest.Latent.UNIFORM.equals(latent.distribution())
                            && (v[j] < latent.low() || v[j] > latent.high())) {
                        throw new ClientProblem(ProblemType.VALUE_OUT_OF_RANGE, field, field + "[" + j + "] is " + v[j]
                                + ", outside the support [" + latent.low() + ", " + latent.high() + "] of model '"
                                + model.name() + "''s uniform latents, where its generator was trained");
                    }
                }
                System.arraycopy(v, 0, z, i * dim, dim);
            }
            return z;
        }
        if (request.count() == null || request.seed() == null) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, request.count() == null ? "count" : "seed",
                    "give count and seed (as /generate draws latents: {\"count\": 8, \"seed\": 7}) or explicit latents");
        }
        long count = request.count();
        if (count < 1 || count > max) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "count", "count must be from 1 to " + max
                    + " (forger.limits.max-images-per-request), was " + count);
        }
        long offset = request.offset() == null ? 0 : request.offset();
        if (offset < 0 || offset > LatentSampler.MAX_INDEX - count) {
            throw new ClientProblem(ProblemType.INVALID_PARAMETER, "offset", "offset must be from 0 to 2^40 - count,"
                    + " was " + offset);
        }
        return LatentSampler.sample(latent, request.seed(), offset, (int) count);
    }

    private Response render(LoadedModel model, ResolvedAttack attack, Threat threat, float[] z, ThreatOutcome outcome,
                            long elapsedMs, AttackFormat format) {
        int count = outcome.count();
        ImageBatch adversarial = new ImageBatch(model.imageShape(), count, outcome.adversarialImages());
        String goal = threat.hasClassGoal() ? threat.classGoal().label()
                : attack.parameters().goal().name().toLowerCase(Locale.ROOT);
        Response.ResponseBuilder response = switch (format) {
            case JSON -> Response.ok(json(model, attack, threat, goal, z, outcome, elapsedMs));
            case NPY -> Response.ok(NpyWriter.write(adversarial))
                    .header("Content-Disposition", "attachment; filename=\"adversarial.npy\"");
            case PNG -> Response.ok(png.encode(Rasters.toImage(adversarial, 0)))
                    .header("Content-Disposition", "inline; filename=\"adversarial.png\"");
            case FIGURE -> Response.ok(png.encode(VerdictFigure.draw(outcome, model.imageShape(), model.classNames(),
                    String.format(Locale.ROOT, "%s, %s in %s space, %s %s = %s, goal %s", model.name(),
                            attack.attack().name(), threat.space(), attack.parameters().norm().label(),
                            threat.latent() ? "δ" : "ε", attack.parameters().epsilon(), goal))));
        };
        if (format == AttackFormat.NPY || format == AttackFormat.PNG) {
            response.header("X-Forger-Success", each(outcome, i -> Boolean.toString(
                    outcome.outcome().results().get(i).success())));
        }
        return response.type(format.mediaType).header("X-Forger-Model", model.name())
                .header("X-Forger-Method", attack.attack().name()).header("X-Forger-Space", threat.space()).build();
    }

    private LatentAttackResponse json(LoadedModel model, ResolvedAttack attack, Threat threat, String goal, float[] z,
                                      ThreatOutcome outcome, long elapsedMs) {
        int dim = model.latentDim();
        int size = model.imageShape().size();
        Base64.Encoder base64 = Base64.getEncoder();
        List<LatentAttackResponse.Result> results = new ArrayList<>();
        for (ImageOutcome r : outcome.outcome().results()) {
            int i = r.index();
            float[] before = Arrays.copyOfRange(z, i * dim, (i + 1) * dim);
            float[] after = threat.latent() ? Arrays.copyOfRange(outcome.outcome().adversarial(), i * dim, (i + 1) * dim)
                    : null;
            results.add(new LatentAttackResponse.Result(i, r.success(), r.alreadyAtGoal(),
                    AttackRendering.verdict(outcome.before().logits()[i], outcome.before().realProbability(i),
                            outcome.before(), i),
                    AttackRendering.verdict(outcome.after().logits()[i], outcome.after().realProbability(i),
                            outcome.after(), i),
                    r.linf(), r.l2(), outcome.pixelLinf()[i], outcome.pixelL2()[i], r.gradientCalls(), r.forwardCalls(),
                    before, after,
                    base64.encodeToString(png.encode(Rasters.toImage(outcome.originalImages(), i * size,
                            model.imageShape()))),
                    base64.encodeToString(png.encode(Rasters.toImage(outcome.adversarialImages(), i * size,
                            model.imageShape())))));
        }
        return new LatentAttackResponse(model.name(), attack.attack().name(), threat.space(), goal,
                echo(attack, threat), results, elapsedMs);
    }

    /** The parameters as the attack read them, the goal as the client wrote it (a class goal with its realism). */
    static Map<String, Object> echo(ResolvedAttack attack, Threat threat) {
        Map<String, Object> parameters = AttackParametersEcho.of(attack);
        if (threat.latent()) {
            parameters.remove("quantize");
        }
        if (threat.hasClassGoal()) {
            parameters.put("goal", threat.classGoal().label());
            parameters.put("realism", threat.classGoal().realism());
        }
        parameters.put("space", threat.space());
        return parameters;
    }

    private static String each(ThreatOutcome outcome, java.util.function.IntFunction<String> value) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < outcome.count(); i++) {
            s.append(i == 0 ? "" : ",").append(value.apply(i));
        }
        return s.toString();
    }
}
