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
 * The write path's outbox-order check, made by the statement that records many writes' intents at once:
 * each write still gets its own entity's answer. Real PostgreSQL, the router's
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
                .withDefaultValues(Map.of()).build().getConfigMapping(OutboxConfig.class);
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
    void shouldRecordManyWritesAtOnceEachRoutedByItsOwnEntitysQueuedCopies() throws Exception {
        write("device:a", true, true);
        write("device:c", true, true);
        write("device:c", true, true);
        write("device:d", true, false);         // refused by the primary: nothing to wait for
        write("reading:e", false, true);        // independent: orders nothing
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> join(pool
                .query("SELECT count(*) FROM cutover_outbox WHERE state = 'unconfirmed'").execute()).iterator().next().getLong(0) == 0);

        // the side each new write would go to as decided, and whether it is checked (the rollback latch: not)
        record Asked(String entity, Backend primary, boolean check) {
        }
        List<Asked> asked = List.of(new Asked("device:a", Backend.V2, true), new Asked("device:a", Backend.V1, true),
                new Asked("device:b", Backend.V2, true), new Asked("device:c", Backend.V2, true),
                new Asked("device:d", Backend.V2, true), new Asked("reading:e", Backend.V2, true),
                new Asked("device:c", Backend.V1, true), new Asked("device:a", Backend.V2, false));
        // all recorded from one event loop in one go, as concurrent requests would: they share round trips
        Promise<List<Backend>> answers = Promise.promise();
        vertx.runOnContext(v -> {
            List<Outbox.Ticket> tickets = new ArrayList<>();
            for (Asked a : asked) {
                tickets.add(outbox.begin(new WriteIntent(UUID.randomUUID(), a.primary().other(), "PUT", "/api/x", "{}",
                        Buffer.buffer("{}"), "default_tenant_id", UUID.randomUUID().toString(), a.entity(), true), a.check()));
            }
            Future.all(tickets.stream().map(Outbox.Ticket::recorded).toList())
                    .map(all -> tickets.stream().map(t -> t.intent().target()).toList()).onComplete(answers);
        });

        // where each copy goes: towards its primary as decided when the entity's older copies are on their way there
        // (the write itself then goes to the other side), else the other way, as decided
        assertThat(join(answers.future())).containsExactly(Backend.V2, Backend.V2, Backend.V1, Backend.V2, Backend.V1,
                Backend.V1, Backend.V2, Backend.V1);
        assertThat(join(pool.query("SELECT count(*) FROM cutover_outbox WHERE state = 'unconfirmed' AND target = 'v2'")
                .execute()).iterator().next().getLong(0)).as("stored as answered").isEqualTo(4);
    }
}
