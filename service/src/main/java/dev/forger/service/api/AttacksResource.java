package dev.forger.service.api;

import dev.forger.service.attacks.Attack;
import dev.forger.service.attacks.AttackCatalog;
import dev.forger.service.attacks.AttackLimits;
import dev.forger.service.attacks.AttackSpecs;
import dev.forger.service.attacks.Norm;
import dev.forger.service.config.ForgerConfig;
import dev.forger.service.robustness.AttackService;
import dev.forger.service.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/attacks}: the attack catalog, so that clients (the web lab among them) build their forms
 * from the service's own defaults and limits instead of copies of them.
 */
@RolesAllowed(Roles.READER)
@Path("/api/v1/attacks")
@Tag(name = "attack")
public class AttacksResource {
    /** What each parameter means, for forms and tooltips; the names are POST /attack's query parameters. */
    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("epsilon", "Perturbation budget in pixel units of [0, 1] (8/255 = 0.0314 for L∞)"),
            Map.entry("steps", "Iterations"),
            Map.entry("stepSize", "Step per iteration in pixel units"),
            Map.entry("randomStart", "Start from a random point of the ε-ball"),
            Map.entry("momentum", "Decay factor of the gradient momentum"),
            Map.entry("overshoot", "How far past the decision boundary to push, as a fraction"),
            Map.entry("constant", "Initial trade-off constant between distance and success"),
            Map.entry("searchSteps", "Binary-search steps on the constant"),
            Map.entry("learningRate", "Adam's learning rate"),
            Map.entry("queries", "Forward queries per image"),
            Map.entry("seed", "Seed of every random choice: same seed, same result"),
            Map.entry("goal", "fake (make D reject), real (make D accept) or flip (the opposite of its verdict)"),
            Map.entry("skipAtGoal", "Leave images the discriminator already judges as the goal wants as they are;"
                    + " false attacks every image (the textbook definition)"),
            Map.entry("quantize", "Round the result to 8 bits and score exactly that image; false only with npy output"));

    private final AttackService attacks;
    private final ForgerConfig config;

    public AttacksResource(AttackService attacks, ForgerConfig config) {
        this.attacks = attacks;
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List the attack methods with their parameters, defaults and limits",
            description = "Per method and norm: every parameter POST /attack reads for it, its type, the value used"
                    + " when it is left out, and the range the service accepts (from forger.attacks.*).")
    public AttacksResponse list() {
        AttackLimits limits = attacks.limits();
        List<AttacksResponse.Method> methods = AttackCatalog.all().stream().map(a -> method(a, limits)).toList();
        return new AttacksResponse(AttackSpecs.goals(),
                new AttacksResponse.Limits(limits.maxSteps(), limits.maxQueries(), limits.maxSearchSteps(),
                        config.limits().maxImagesPerRequest()), methods);
    }

    private static AttacksResponse.Method method(Attack attack, AttackLimits limits) {
        Map<String, List<AttacksResponse.Parameter>> byNorm = new LinkedHashMap<>();
        for (String norm : AttackSpecs.norms(attack)) {
            byNorm.put(norm, AttackSpecs.parameters(attack, Norm.parse(norm), limits).stream()
                    .map(AttacksResource::parameter).toList());
        }
        return new AttacksResponse.Method(attack.name(), attack.usesGradients(), AttackSpecs.epsilonBounded(attack),
                AttackSpecs.norms(attack), byNorm);
    }

    private static AttacksResponse.Parameter parameter(AttackSpecs.Parameter p) {
        return new AttacksResponse.Parameter(p.name(), DESCRIPTIONS.get(p.name()), p.type(), p.defaultValue(),
                p.minimum(), p.minimum() == null ? null : p.exclusiveMinimum(), p.maximum(), p.choices(),
                p.stepFactor());
    }
}
