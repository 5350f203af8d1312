package dev.forger.service.api;

/** Examples in the OpenAPI document that work as they are in Swagger UI (OpenApiTest posts each one). */
final class GenerateExamples {
    private GenerateExamples() {}

    /** A latent vector of the default model's dimension (100): vector 0 of seed 3, to two decimals. */
    static final String LATENT_100 = "[" +
            "-0.77, 0.40, 0.23, -0.85, -0.57, 0.27, -0.73, 0.78, -0.02, 0.78, 0.40, 0.42, -0.04, -0.33, 0.43, " +
            "0.60, -0.39, -0.79, -0.65, 0.18, 0.64, 0.87, 0.34, -0.62, 0.24, 0.78, -0.57, -0.76, 0.28, 0.74, " +
            "0.39, 0.45, -0.62, 0.80, -0.14, -0.58, -0.05, 0.34, -0.24, -0.26, -0.69, 0.02, 0.41, 0.71, -0.37, " +
            "0.15, 0.79, -0.97, 0.09, -0.69, 0.37, 0.39, 0.07, 0.08, -0.17, -0.14, -0.71, 0.34, 0.19, -0.26, " +
            "-0.32, -0.61, 0.77, -0.17, 0.02, -0.25, 0.03, 0.76, 0.45, -0.12, -0.39, -0.88, 0.12, -0.09, -0.34, " +
            "-0.84, 0.03, -0.57, -0.20, 0.56, 0.60, -0.35, -0.36, -0.56, 0.44, 0.77, -0.99, 0.83, -0.21, -0.61, " +
            "0.93, 0.94, -0.23, 0.47, -0.94, 0.88, 0.74, -0.23, 0.78, -0.16" + "]";

    static final String EXPLICIT_LATENTS = "{\"model\": \"mnist-dcgan\", \"format\": \"png\", \"latents\": [" + LATENT_100 + "]}";
}
