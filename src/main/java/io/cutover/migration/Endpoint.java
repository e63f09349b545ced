package io.cutover.migration;

import io.vertx.pgclient.PgConnectOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * Where one database is: {@code postgresql://host:port/db} (a {@code jdbc:} prefix is accepted), user
 * and password (which override those in the URL).
 */
public record Endpoint(String label, String url, String user, String password) {

    public PgConnectOptions connectOptions() {
        String uri = url.startsWith("jdbc:") ? url.substring(5) : url;
        PgConnectOptions options;
        try {
            options = PgConnectOptions.fromUri(uri);
        } catch (RuntimeException e) {
            throw new JobFailure(JobFailure.UNUSABLE, label + ": invalid URL '" + url
                    + "' (expected: postgresql://host:port/database)");
        }
        if (user != null && !user.isBlank()) {
            options.setUser(user);
        }
        if (password != null) {
            options.setPassword(password);
        }
        Map<String, String> properties = new HashMap<>(options.getProperties());
        // Same text form of timestamps on both sides, whatever each server's default time zone.
        properties.put("TimeZone", "UTC");
        properties.put("application_name", "cutover-migration");
        options.setProperties(properties);
        return options.setPipeliningLimit(1).setCachePreparedStatements(true);
    }

    /** host:port/database, without credentials, for messages. */
    public String describe() {
        PgConnectOptions o = connectOptions();
        return label + " (" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase() + ")";
    }
}
