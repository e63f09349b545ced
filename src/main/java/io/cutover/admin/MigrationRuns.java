package io.cutover.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.database.RouterDatabase;
import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;
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

    private static final String SHARDS = "SELECT job, mapping, shard, shard_count, state, table_name, rows_done,"
            + " rows_total, rows_per_second, eta_seconds, rejected, note, started_at, updated_at"
            + " FROM cutover_migration_shards WHERE updated_at > now() - interval '1 day'"
            + " ORDER BY job, mapping, shard_count, shard";

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
        Uni<List<MigrationStatus.Shard>> shards = Uni.createFrom()
                .completionStage(() -> database.pool().query(SHARDS).execute().toCompletionStage())
                .map(MigrationRuns::shards);
        Uni<RowSet<Row>> last = Uni.createFrom()
                .completionStage(() -> database.pool().query(LAST).execute().toCompletionStage());
        return Uni.combine().all().unis(last, shards).asTuple()
                .ifNoItem().after(TIMEOUT).fail()
                .map(both -> {
                    Map<String, MigrationStatus.Run> runs = new HashMap<>();
                    for (Row row : both.getItem1()) {
                        runs.put(row.getString("job"), new MigrationStatus.Run(
                                row.getOffsetDateTime("started_at").toInstant(),
                                row.getOffsetDateTime("finished_at").toInstant(),
                                row.getInteger("exit_code"), parse(row.getString("summary"))));
                    }
                    return new MigrationStatus(runs.get("backfill"), runs.get("verify"), null, both.getItem2());
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf(e, "cannot read the migration runs");
                    return new MigrationStatus(null, null, "cannot read the migration runs: " + e);
                });
    }

    private static List<MigrationStatus.Shard> shards(RowSet<Row> rows) {
        List<MigrationStatus.Shard> shards = new ArrayList<>();
        for (Row r : rows) {
            shards.add(new MigrationStatus.Shard(r.getString("job"), r.getString("mapping"), r.getInteger("shard"),
                    r.getInteger("shard_count"), r.getString("state"), r.getString("table_name"), r.getLong("rows_done"),
                    r.getLong("rows_total"), r.getDouble("rows_per_second"), r.getLong("eta_seconds"),
                    r.getLong("rejected"), r.getString("note"), r.getOffsetDateTime("started_at").toInstant(),
                    r.getOffsetDateTime("updated_at").toInstant()));
        }
        return shards;
    }

    private JsonNode parse(String summary) {
        try {
            return json.readTree(summary);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(summary);
        }
    }
}
