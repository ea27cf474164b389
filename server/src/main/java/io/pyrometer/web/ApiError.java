package io.pyrometer.web;

/**
 * An API failure with Prometheus's {@code errorType} and HTTP status:
 * bad_data 400, execution 422, timeout 503, canceled 499, internal 500, unavailable 503, not_found 404.
 */
public final class ApiError extends RuntimeException {
    private final String type;
    private final int status;

    private ApiError(String type, int status, String message) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
    }

    public static ApiError badData(String message) { return new ApiError("bad_data", 400, message); }
    public static ApiError execution(String message) { return new ApiError("execution", 422, message); }
    public static ApiError timeout(String message) { return new ApiError("timeout", 503, message); }
    public static ApiError canceled(String message) { return new ApiError("canceled", 499, message); }
    public static ApiError internal(String message) { return new ApiError("internal", 500, message); }
    public static ApiError unavailable(String message) { return new ApiError("unavailable", 503, message); }
    public static ApiError notFound(String message) { return new ApiError("not_found", 404, message); }

    public String type() { return type; }
    public int status() { return status; }
}
