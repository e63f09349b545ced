package io.cutover.demo;

/** A client error that becomes an HTTP answer with a JSON {@code {"error": ...}} body. */
final class ApiError extends RuntimeException {

    private final int status;

    private ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    static ApiError conflict(String message) {
        return new ApiError(409, message);
    }

    Reply toReply() {
        return Reply.error(status, getMessage());
    }
}
