package io.cutover.demo;

/**
 * A client error that becomes an HTTP answer with a JSON {@code {"error": ..., "field": ...}} body
 * ({@code field} only when one input field is at fault).
 */
final class ApiError extends RuntimeException {

    private final int status;
    private final String field;

    private ApiError(int status, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    /** 400 about one input field (a body field, a query parameter or a header). */
    static ApiError badField(String field, String message) {
        return new ApiError(400, field, message);
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, null, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, null, message);
    }

    static ApiError conflict(String message) {
        return new ApiError(409, null, message);
    }

    Reply toReply() {
        return Reply.error(status, getMessage(), field);
    }
}
