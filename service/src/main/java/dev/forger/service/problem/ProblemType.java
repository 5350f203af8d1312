package dev.forger.service.problem;

/**
 * The kinds of problem the service reports, each with its HTTP status and a stable type URI
 * ({@code urn:forger:problem:<slug>}) that clients can switch on.
 */
public enum ProblemType {
    INVALID_PARAMETER(400, "invalid-parameter", "A request parameter is invalid"),
    UNKNOWN_PARAMETER(400, "unknown-parameter", "The request has a parameter this endpoint does not take"),
    MALFORMED_JSON(400, "malformed-json", "The JSON body cannot be read"),
    NOT_AN_IMAGE(415, "not-an-image", "The upload is not an image format the service reads"),
    CORRUPT_IMAGE(400, "corrupt-image", "The image data is corrupt"),
    IMAGE_TOO_LARGE(413, "image-too-large", "The image is too large"),
    MALFORMED_NPY(400, "malformed-npy", "The .npy data is malformed"),
    WRONG_IMAGE_SIZE(422, "wrong-image-size", "The image has the wrong size for this model"),
    NON_FINITE_VALUE(422, "non-finite-value", "The data holds NaN or infinite values"),
    VALUE_OUT_OF_RANGE(422, "value-out-of-range", "The data holds values outside [-1, 1]"),
    TOO_MANY_IMAGES(413, "too-many-images", "Too many images in one request"),
    BODY_TOO_LARGE(413, "body-too-large", "The request body is too large"),
    MISSING_BODY(400, "missing-body", "The request has no images"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "The request's content type is not accepted here"),
    CONTENT_TYPE_MISMATCH(415, "content-type-mismatch", "The body is not what its Content-Type says"),
    NOT_ACCEPTABLE(406, "not-acceptable", "No representation matches the Accept header"),
    UNSUPPORTED_BY_MODEL(422, "unsupported-by-model", "The model lacks a network this request needs"),
    UNKNOWN_MODEL(404, "unknown-model", "No such model"),
    NOT_FOUND(404, "not-found", "No such resource"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed on this resource"),
    UNAUTHENTICATED(401, "unauthenticated", "The request does not say who sends it"),
    FORBIDDEN(403, "forbidden", "The caller's role does not allow this"),
    QUOTA_EXCEEDED(429, "quota-exceeded", "The caller has used up a quota for now"),
    MODEL_NOT_READY(503, "model-not-ready", "The model is not loaded"),
    OVERLOADED(503, "overloaded", "The service is at capacity"),
    INTERNAL(500, "internal-error", "Internal error");

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String uri() {
        return "urn:forger:problem:" + slug;
    }

    public String title() {
        return title;
    }
}
