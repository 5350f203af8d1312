package dev.forger.service.problem;

/**
 * Something the client got wrong, carrying everything an RFC 9457 problem response needs. Thrown
 * anywhere in the pipeline (codecs, registry, resources); the API layer turns it into
 * {@code application/problem+json} without a stack trace.
 */
public class ClientProblem extends RuntimeException {
    private final ProblemType type;
    private final String field;

    /**
     * @param detail what exactly is wrong and how to fix it, as one or two sentences
     * @param field  the request field at fault (query parameter, form part, JSON property), or null
     */
    public ClientProblem(ProblemType type, String field, String detail) {
        super(detail, null, false, false); // no stack trace: these are expected and frequent
        this.type = type;
        this.field = field;
    }

    public ProblemType type() {
        return type;
    }

    public String field() {
        return field;
    }

    public String detail() {
        return getMessage();
    }
}
