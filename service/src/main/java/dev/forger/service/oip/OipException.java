package dev.forger.service.oip;

import dev.forger.service.problem.ProblemType;
import io.grpc.Status;

/**
 * A request the protocol refuses: REST answers {@code {"error": message}} with the HTTP status, gRPC the
 * status code, both with the same message saying what is wrong and how to fix it.
 */
public class OipException extends RuntimeException {

    /** What went wrong, as both protocols spell it. */
    public enum Kind {
        BAD_REQUEST(400, Status.Code.INVALID_ARGUMENT, ProblemType.INVALID_PARAMETER),
        PAYLOAD_TOO_LARGE(413, Status.Code.INVALID_ARGUMENT, ProblemType.TOO_MANY_IMAGES),
        /** The model repository extension while it is off: counted as a route that is not there. */
        FORBIDDEN(403, Status.Code.PERMISSION_DENIED, ProblemType.NOT_FOUND),
        NOT_FOUND(404, Status.Code.NOT_FOUND, ProblemType.UNKNOWN_MODEL),
        UNAVAILABLE(503, Status.Code.UNAVAILABLE, ProblemType.OVERLOADED);

        private final int httpStatus;
        private final Status.Code grpcCode;
        private final ProblemType counted;

        Kind(int httpStatus, Status.Code grpcCode, ProblemType counted) {
            this.httpStatus = httpStatus;
            this.grpcCode = grpcCode;
            this.counted = counted;
        }

        public int httpStatus() {
            return httpStatus;
        }

        public Status.Code grpcCode() {
            return grpcCode;
        }

        /** The problem type Forger's own API would report: its reason in forger_rejected_requests_total. */
        public ProblemType counted() {
            return counted;
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
