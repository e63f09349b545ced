package io.cutover.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Decides whether a request may use the admin API: its {@code Authorization: Bearer <token>} must
 * equal {@code cutover.admin.token}, compared in constant time. No token configured: refused, with
 * 503, never open.
 */
final class AdminAuth {

    enum Decision {
        ALLOWED(200, null),
        DISABLED(503, "admin API disabled: set cutover.admin.token"),
        MISSING(401, "missing bearer token (expected: Authorization: Bearer <cutover.admin.token>)"),
        WRONG(401, "wrong bearer token");

        final int status;
        final String message;

        Decision(int status, String message) {
            this.status = status;
            this.message = message;
        }
    }

    private static final String BEARER = "bearer ";

    private final byte[] token;

    AdminAuth(Optional<String> configured) {
        this.token = configured.filter(t -> !t.isBlank()).map(t -> t.trim().getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    Decision check(String authorization) {
        if (token == null) {
            return Decision.DISABLED;
        }
        if (authorization == null || authorization.length() < BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Decision.MISSING;
        }
        byte[] offered = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, offered) ? Decision.ALLOWED : Decision.WRONG;
    }
}
