package io.cutover.demo;

import io.vertx.pgclient.PgException;
import org.jboss.logging.Logger;

/** The answer to a failed operation: a client error as itself, a constraint violation as 409, else 500. */
final class Failures {

    private static final Logger LOG = Logger.getLogger(Failures.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private Failures() {
    }

    static Reply reply(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiError e) {
                return e.toReply();
            }
            if (t instanceof PgException pg) {
                if (UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                    return Reply.error(409, "conflict: " + detail(pg));
                }
                if (FOREIGN_KEY_VIOLATION.equals(pg.getSqlState())) {
                    return Reply.error(409, "still referenced: " + detail(pg));
                }
            }
        }
        LOG.warn("reference backend request failed", failure);
        return Reply.error(500, "internal error");
    }

    /** The violated constraint, e.g. {@code constraint users_email_key}, or PostgreSQL's own words. */
    private static String detail(PgException pg) {
        if (pg.getConstraint() != null) {
            return "constraint " + pg.getConstraint();
        }
        return pg.getDetail() != null ? pg.getDetail() : pg.getErrorMessage();
    }
}
