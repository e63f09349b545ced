package io.cutover.shadow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.database.RouterDatabase;
import io.cutover.dualwrite.Batcher;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The last {@code cutover.shadow.keep-last} differences: in the router's database
 * ({@code cutover_shadow_differences}, shared by the replicas, pruned to that many after every
 * batch of inserts), and in a memory ring of this replica, which answers when there is no
 * database or it cannot be read. Inserts are group-committed and never on a client's path.
 */
@Singleton
public class ShadowStore {

    private static final Logger LOG = Logger.getLogger(ShadowStore.class);
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String INSERT = "INSERT INTO cutover_shadow_differences"
            + " (at, route, tenant, method, path, primary_backend, primary_status, secondary_status, differences)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    private static final String PRUNE = "DELETE FROM cutover_shadow_differences WHERE id <="
            + " (SELECT id FROM cutover_shadow_differences ORDER BY id DESC OFFSET $1 LIMIT 1)";
    private static final String RECENT = "SELECT at, route, tenant, method, path, primary_backend, primary_status,"
            + " secondary_status, differences::text AS differences FROM cutover_shadow_differences ORDER BY id DESC LIMIT $1";
    private static final TypeReference<List<Difference>> DIFFERENCES = new TypeReference<>() {
    };

    private final RouterDatabase database;
    private final ObjectMapper json;
    private final int keep;
    private final ArrayDeque<ShadowStatus.Recent> ring = new ArrayDeque<>();
    private final Batcher<ShadowStatus.Recent> inserts;
    private volatile boolean warned;

    ShadowStore(RouterDatabase database, ObjectMapper json, ShadowConfig config) {
        this.database = database;
        this.json = json;
        this.keep = Math.max(1, config.keepLast());
        this.inserts = new Batcher<>(256, this::insert);
        if (!database.configured()) {
            LOG.warn("no router database: the last shadow-read differences are kept in this replica's memory only");
        }
    }

    /** Keeps a difference: at once in memory, soon in the database. */
    void add(ShadowStatus.Recent r) {
        synchronized (ring) {
            ring.addFirst(r);
            while (ring.size() > keep) {
                ring.removeLast();
            }
        }
        if (database.configured()) {
            inserts.submit(r).onFailure(e -> {
                if (!warned) {
                    warned = true;
                    LOG.warnf("cannot store shadow-read differences in the router's database (kept in memory): %s", e.toString());
                }
            }).onSuccess(v -> warned = false);
        }
    }

    /** The last differences, newest first: the database's, else this replica's memory. */
    Uni<List<ShadowStatus.Recent>> recent() {
        if (!database.configured()) {
            return Uni.createFrom().item(memory());
        }
        return Uni.createFrom().completionStage(() -> database.pool().preparedQuery(RECENT).execute(Tuple.of(keep)).toCompletionStage())
                .ifNoItem().after(TIMEOUT).fail()
                .map(rows -> {
                    List<ShadowStatus.Recent> out = new ArrayList<>();
                    for (Row row : rows) {
                        out.add(read(row));
                    }
                    return out;
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf(e, "cannot read the shadow-read differences; answering from memory");
                    return memory();
                });
    }

    private List<ShadowStatus.Recent> memory() {
        synchronized (ring) {
            return List.copyOf(ring);
        }
    }

    private Future<Void> insert(List<ShadowStatus.Recent> batch) {
        List<Tuple> rows = new ArrayList<>(batch.size());
        for (ShadowStatus.Recent r : batch) {
            JsonArray differences;      // a JsonArray, not a String: the client would send a String as a JSON string
            try {
                differences = new JsonArray(json.writeValueAsString(r.differences()));
            } catch (JsonProcessingException e) {
                return Future.failedFuture(e);
            }
            rows.add(Tuple.tuple(List.of(r.at().atOffset(ZoneOffset.UTC), r.route(), r.tenant(), r.method(), r.path(),
                    r.primary(), r.primaryStatus(), r.secondaryStatus(), differences)));
        }
        return database.pool().preparedQuery(INSERT).executeBatch(rows)
                .compose(done -> database.pool().preparedQuery(PRUNE).execute(Tuple.of(keep)))
                .mapEmpty();
    }

    private ShadowStatus.Recent read(Row row) {
        List<Difference> differences;
        try {
            differences = json.readValue(row.getString("differences"), DIFFERENCES);
        } catch (JsonProcessingException e) {
            LOG.warnf("unreadable shadow differences %s: %s", row.getString("differences"), e.toString());
            differences = List.of();
        }
        return new ShadowStatus.Recent(row.getOffsetDateTime("at").toInstant(), row.getString("route"),
                row.getString("tenant"), row.getString("method"), row.getString("path"), row.getString("primary_backend"),
                row.getInteger("primary_status"), row.getInteger("secondary_status"), differences);
    }
}
