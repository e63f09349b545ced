package io.cutover.demo;

import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Times between the API and the Vert.x PostgreSQL client: a {@code TIMESTAMPTZ} parameter is an
 * {@link OffsetDateTime} (stored to the microsecond, the rest truncated), and reads back as one in UTC.
 */
final class Sql {

    private Sql() {
    }

    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
