package dev.forger.service.security;

/**
 * A client asked for more of a {@link Quota} than its bucket holds now: 429 with {@code Retry-After} (the seconds
 * until the bucket holds enough again) and the quota's name. Expected and frequent, so it has no stack trace.
 */
public class QuotaExceededException extends RuntimeException {
    private final Quota quota;
    private final long retryAfterSeconds;

    public QuotaExceededException(Quota quota, long retryAfterSeconds, String detail) {
        super(detail, null, false, false);
        this.quota = quota;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Quota quota() {
        return quota;
    }

    /** Seconds to wait; 0 when waiting cannot help (the request is larger than the whole budget). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
