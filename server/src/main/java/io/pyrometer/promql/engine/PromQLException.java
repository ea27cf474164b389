package io.pyrometer.promql.engine;

/**
 * A query that failed. {@link #type()} maps onto the HTTP API's {@code errorType}; the message
 * uses Prometheus's wording so clients and alerts that grep for it keep working.
 */
public final class PromQLException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The HTTP API's error types that a query can fail with. */
    public enum ErrorType {
        BAD_DATA("bad_data"), EXECUTION("execution"), TIMEOUT("timeout"), CANCELED("canceled");

        private final String apiName;

        ErrorType(String apiName) { this.apiName = apiName; }

        /** The {@code errorType} string of the HTTP API. */
        public String apiName() { return apiName; }
    }

    private final ErrorType type;

    public PromQLException(ErrorType type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public ErrorType type() { return type; }

    public static PromQLException badData(String message) { return new PromQLException(ErrorType.BAD_DATA, message); }

    public static PromQLException execution(String message) { return new PromQLException(ErrorType.EXECUTION, message); }

    static PromQLException tooManySamples() {
        return execution("query processing would load too many samples into memory in query execution");
    }

    static PromQLException timeout(String where) {
        return new PromQLException(ErrorType.TIMEOUT, "query timed out in " + where);
    }

    static PromQLException canceled(String where) {
        return new PromQLException(ErrorType.CANCELED, "query was canceled in " + where);
    }
}
