package io.cutover.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.routing.Backend;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write path's outbox-order check, asked by many writes at once: the checks that arrive while one is out go
 * to the database together, and each write still gets its own entity's answer. Real PostgreSQL, the router's
 * outbox migrations, a real Vert.x PG pool.
 */
class OutboxOrderCheckTest {

    private static final List<String> OUTBOX_MIGRATIONS = List.of("V2__outbox.sql", "V6__outbox_ordering_contract.sql");

    private EmbeddedPostgres db;
    private Vertx vertx;
    private Pool pool;
    private Outbox outbox;

    @BeforeEach
    void outbox() throws Exception {
        db = EmbeddedPostgres.builder().start();
        try (Connection c = db.getPostgresDatabase().getConnection()) {
            for (String migration : OUTBOX_MIGRATIONS) {
                c.createStatement().execute(Files.readString(Path.of("src/main/resources/db/migration", migration)));
            }
        }
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(new PgConnectOptions()
                .setHost("127.0.0.1").setPort(db.getPort()).setDatabase("postgres").setUser("postgres").setPassword("postgres"))
                .using(vertx).build();
        OutboxConfig config = new SmallRyeConfigBuilder().withMapping(OutboxConfig.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                // the write path's bound (300 ms by default) is not what this test is about: on a busy machine a statement past it
                // would count the database as down, and nothing here runs the worker that finds it again
                .withDefaultValues(Map.of("cutover.outbox.database-timeout", "30s")).build().getConfigMapping(OutboxConfig.class);
        outbox = new Outbox(pool, vertx, config, Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        pool.close();
        vertx.close();
        db.close();
    }

    private static <T> T join(Future<T> f) {
        return f.toCompletionStage().toCompletableFuture().join();
    }

    /** A write of {@code entity} whose copy goes to V2: recorded, then accepted by V1 (pending) or refused (cancelled). */
    private void write(String entity, boolean ordered, boolean accepted) {
        WriteIntent w = new WriteIntent(UUID.randomUUID(), Backend.V2, "PUT", "/api/x", "{}", Buffer.buffer("{}"),
                "default_tenant_id", UUID.randomUUID().toString(), entity, ordered);
        Outbox.Ticket t = outbox.begin(w);
        join(t.recorded());
        if (accepted) {
            join(t.confirm(t.intent()));
        } else {
            t.cancel();
        }
    }

    @Test
    void shouldAnswerEachOfManyWritesAskingAtOnceForItsOwnEntity() throws Exception {
        write("device:a", true, true);
        write("device:c", true, true);
        write("device:c", true, true);
        write("device:d", true, false);         // refused by the primary: nothing to wait for
        write("reading:e", false, true);        // independent: orders nothing
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> join(pool
                .query("SELECT count(*) FROM cutover_outbox WHERE state = 'unconfirmed'").execute()).iterator().next().getLong(0) == 0);

        List<OutboxStore.Probe> asked = List.of(
                new OutboxStore.Probe("device:a", Backend.V2), new OutboxStore.Probe("device:a", Backend.V1),
                new OutboxStore.Probe("device:b", Backend.V2), new OutboxStore.Probe("device:c", Backend.V2),
                new OutboxStore.Probe("device:d", Backend.V2), new OutboxStore.Probe("reading:e", Backend.V2),
                new OutboxStore.Probe("device:c", Backend.V1), new OutboxStore.Probe("device:a", Backend.V2));
        // all asked from one event loop in one go, as concurrent requests would: they share round trips
        Promise<List<Boolean>> answers = Promise.promise();
        vertx.runOnContext(v -> {
            List<Future<Boolean>> each = new ArrayList<>();
            for (OutboxStore.Probe p : asked) {
                each.add(outbox.hasOpen(p.entityKey(), p.target()));
            }
            Future.all(each).map(all -> each.stream().map(Future::result).toList()).onComplete(answers);
        });

        assertThat(join(answers.future())).containsExactly(true, false, false, true, false, false, false, true);
    }
}
