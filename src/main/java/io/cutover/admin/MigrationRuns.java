package io.cutover.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.database.RouterDatabase;
import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/** Reads the last backfill and verify runs the jobs recorded in {@code cutover_migration_runs}, without blocking. */
@ApplicationScoped
public class MigrationRuns {

    private static final Logger LOG = Logger.getLogger(MigrationRuns.class);
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String LAST = "(SELECT job, started_at, finished_at, exit_code, summary::text"
            + " FROM cutover_migration_runs WHERE job = 'backfill' ORDER BY finished_at DESC, id DESC LIMIT 1)"
            + " UNION ALL (SELECT job, started_at, finished_at, exit_code, summary::text"
            + " FROM cutover_migration_runs WHERE job = 'verify' ORDER BY finished_at DESC, id DESC LIMIT 1)";

    private final RouterDatabase database;
    private final ObjectMapper json;

    MigrationRuns(RouterDatabase database, ObjectMapper json) {
        this.database = database;
        this.json = json;
    }

    /** {@code null} without a router database; a status with {@code error} set when the runs cannot be read. */
    public Uni<MigrationStatus> last() {
        if (!database.configured()) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().completionStage(() -> database.pool().query(LAST).execute().toCompletionStage())
                .ifNoItem().after(TIMEOUT).fail()
                .map(rows -> {
                    Map<String, MigrationStatus.Run> runs = new HashMap<>();
                    for (Row row : rows) {
                        runs.put(row.getString("job"), new MigrationStatus.Run(
                                row.getOffsetDateTime("started_at").toInstant(),
                                row.getOffsetDateTime("finished_at").toInstant(),
                                row.getInteger("exit_code"), parse(row.getString("summary"))));
                    }
                    return new MigrationStatus(runs.get("backfill"), runs.get("verify"), null);
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf(e, "cannot read the migration runs");
                    return new MigrationStatus(null, null, "cannot read the migration runs: " + e);
                });
    }

    private JsonNode parse(String summary) {
        try {
            return json.readTree(summary);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(summary);
        }
    }
}
