package io.cutover.edge;

/**
 * A request as the router will classify and forward it: its canonical path and request target
 * (path and query), or the refusal.
 */
public record Screened(String path, String uri, Refusal refusal) {

    static Screened refused(int status, String reason, String message) {
        return new Screened(null, null, new Refusal(status, reason, message));
    }

    public boolean refused() {
        return refusal != null;
    }
}
