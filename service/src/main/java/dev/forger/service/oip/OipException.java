package dev.forger.service.oip;

import io.grpc.Status;

/**
 * A request the protocol refuses: REST answers {@code {"error": message}} with the HTTP status, gRPC the
 * status code, both with the same message saying what is wrong and how to fix it.
 */
public class OipException extends RuntimeException {

    /** What went wrong, as both protocols spell it. */
    public enum Kind {
        BAD_REQUEST(400, Status.Code.INVALID_ARGUMENT, "invalid-parameter"),
        PAYLOAD_TOO_LARGE(413, Status.Code.INVALID_ARGUMENT, "too-many-images"),
        FORBIDDEN(403, Status.Code.PERMISSION_DENIED, "repository-disabled"),
        NOT_FOUND(404, Status.Code.NOT_FOUND, "unknown-model"),
        UNAVAILABLE(503, Status.Code.UNAVAILABLE, "queue-full");

        private final int httpStatus;
        private final Status.Code grpcCode;
        private final String reason;

        Kind(int httpStatus, Status.Code grpcCode, String reason) {
            this.httpStatus = httpStatus;
            this.grpcCode = grpcCode;
            this.reason = reason;
        }

        public int httpStatus() {
            return httpStatus;
        }

        public Status.Code grpcCode() {
            return grpcCode;
        }

        /** The reason tag of forger_rejected_requests_total, the slugs Forger's own API uses. */
        public String reason() {
            return reason;
        }
    }

    private final Kind kind;

    public OipException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static OipException badRequest(String message) {
        return new OipException(Kind.BAD_REQUEST, message);
    }

    public Kind kind() {
        return kind;
    }
}
