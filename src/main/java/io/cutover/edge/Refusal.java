package io.cutover.edge;

/**
 * Why a request is answered at the edge and never reaches a backend.
 *
 * @param status  the answer's status (400, 405, 417, 501)
 * @param reason  a short tag for the {@code cutover.requests.rejected} metric
 * @param message what was wrong, for the client (never contains the client's raw bytes)
 */
public record Refusal(int status, String reason, String message) {
}
