package dev.forger.service.security;

/**
 * The expensive work that is shared out per client, each measured in the unit that tracks its cost: an attack
 * costs its images × steps (the steps it may take, for the methods that read steps; one per image otherwise), an
 * evaluation its units (one attack at one ε over a slice of the images), a generation its images.
 */
public enum Quota {
    ATTACK_IMAGE_STEPS("attack-image-steps", "attack image·steps"),
    EVALUATION_UNITS("evaluation-units", "evaluation units"),
    GENERATED_IMAGES("generated-images", "generated images");

    private final String slug;
    private final String unit;

    Quota(String slug, String unit) {
        this.slug = slug;
        this.unit = unit;
    }

    /** The quota's name, as in the configuration, the 429's {@value Quotas#HEADER} header and the metrics. */
    public String slug() {
        return slug;
    }

    /** What it counts, for error messages. */
    public String unit() {
        return unit;
    }
}
