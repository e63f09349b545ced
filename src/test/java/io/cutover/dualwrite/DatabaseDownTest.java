package io.cutover.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.routing.Backend;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router's database is down: in buffer mode writes are still served and their intents held in
 * memory, the span is recorded, and the intents reach the outbox once PostgreSQL is back; in strict
 * mode the intent fails (the proxy answers 503). A real Vert.x PG pool against a real port.
 */
class DatabaseDownTest {

    /** The router's migrations that make the outbox, in order. */
    private static final List<String> OUTBOX_MIGRATIONS = List.of("V2__outbox.sql", "V6__outbox_ordering_contract.sql");

    private Vertx vertx;
    private Pool pool;
    private int port;
    private EmbeddedPostgres db;

    @BeforeEach
    void poolToADatabaseThatIsNotThereYet() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(new PgConnectOptions()
                .setHost("127.0.0.1").setPort(port).setDatabase("postgres").setUser("postgres").setPassword("postgres")
                .setConnectTimeout(500)).using(vertx).build();
    }

    @AfterEach
    void close() throws Exception {
        pool.close();
        vertx.close();
        if (db != null) {
            db.close();
        }
    }

    private static OutboxConfig config(String whenDown, int memory) {
        return new SmallRyeConfigBuilder().withMapping(OutboxConfig.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(Map.of(
                "cutover.outbox.when-database-down", whenDown,
                "cutover.outbox.memory-buffer", String.valueOf(memory))).build().getConfigMapping(OutboxConfig.class);
    }

    private static WriteIntent intent(int n) {
        return new WriteIntent(UUID.randomUUID(), Backend.V2, "PUT", "/api/devices/d-" + n, "{}",
                Buffer.buffer("{\"n\":" + n + "}"), "default_tenant_id", "key-" + n, "device:d-" + n, true);
    }

    private static <T> T join(io.vertx.core.Future<T> f) {
        return f.toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void shouldHoldIntentsInMemoryAndStoreThemOnceTheDatabaseIsBack() throws Exception {
        Outbox outbox = new Outbox(pool, vertx, config("buffer", 3), Clock.systemUTC());
        for (int i = 0; i < 4; i++) {
            Outbox.Ticket t = outbox.begin(intent(i));
            join(t.recorded()); // the client is not made to fail
            join(t.confirm(t.intent()));
        }
        assertThat(outbox.databaseDown()).isTrue();
        assertThat(outbox.heldInMemory()).isEqualTo(3);
        DurabilityGap gap = outbox.lastGap();
        assertThat(gap.held()).isEqualTo(3);
        assertThat(gap.lost()).isEqualTo(1);
        assertThat(gap.overflowed()).isTrue();
        assertThat(gap.from()).isBeforeOrEqualTo(gap.to());

        databaseComesBack();
        join(outbox.flushMemory());
        assertThat(outbox.heldInMemory()).isZero();
        assertThat(outbox.databaseDown()).isFalse();
        assertThat(outbox.lastGap().flushed()).isEqualTo(3);
        List<String> keys = join(pool.query("SELECT idempotency_key FROM cutover_outbox WHERE state = 'pending' ORDER BY seq")
                .execute().map(rows -> {
                    List<String> k = new java.util.ArrayList<>();
                    rows.forEach(r -> k.add(r.getString(0)));
                    return k;
                }));
        assertThat(keys).containsExactly("key-0", "key-1", "key-2");
    }

    private void databaseComesBack() throws Exception {
        db = EmbeddedPostgres.builder().setPort(port).start();
        try (Connection c = db.getPostgresDatabase().getConnection()) {
            for (String migration : OUTBOX_MIGRATIONS) {
                c.createStatement().execute(Files.readString(Path.of("src/main/resources/db/migration", migration)));
            }
        }
    }

    private List<String> stored() {
        return join(pool.query("SELECT idempotency_key FROM cutover_outbox ORDER BY seq").execute().map(rows -> {
            List<String> k = new java.util.ArrayList<>();
            rows.forEach(r -> k.add(r.getString(0)));
            return k;
        }));
    }

    private static WriteIntent intent(String key, String entity) {
        return new WriteIntent(UUID.randomUUID(), Backend.V2, "PUT", "/api/devices/" + entity, "{}",
                Buffer.buffer("{}"), "default_tenant_id", key, "device:" + entity, true);
    }

    @Test
    void shouldRecordWritesInTheDatabaseAgainOnceItIsBackWhileWritesStillInFlightAreHeld() throws Exception {
        // under steady load some held write is always in flight (its primary has not answered): the router used to
        // stay in memory until the buffer was empty, which under load it never was, and lost every write past its size
        Outbox outbox = new Outbox(pool, vertx, config("buffer", 100), Clock.systemUTC());
        Outbox.Ticket inFlight = outbox.begin(intent("a-1", "a"));
        join(inFlight.recorded());
        Outbox.Ticket answered = outbox.begin(intent("b-1", "b"));
        join(answered.recorded());
        join(answered.confirm(answered.intent()));
        assertThat(outbox.heldInMemory()).isEqualTo(2);

        databaseComesBack();
        join(outbox.flushMemory());

        assertThat(outbox.databaseDown()).as("the database answered").isFalse();
        assertThat(stored()).as("the answered one stored; a-1 waits in memory for its primary").containsExactly("b-1");
        Outbox.Ticket other = outbox.begin(intent("c-1", "c"));
        join(other.recorded());
        assertThat(stored()).as("a write of another entity goes to the database at once").containsExactly("b-1", "c-1");
        Outbox.Ticket behind = outbox.begin(intent("a-2", "a"));
        join(behind.recorded());
        assertThat(stored()).as("a-2 is held behind a-1, so that it cannot come before it").containsExactly("b-1", "c-1");

        join(inFlight.confirm(inFlight.intent()));
        join(behind.confirm(behind.intent()));
        join(outbox.flushMemory());
        assertThat(stored()).as("a's writes in their order").containsExactly("b-1", "c-1", "a-1", "a-2");
        assertThat(outbox.heldInMemory()).isZero();
        assertThat(outbox.lastGap().lost()).isZero();
    }

    @Test
    void shouldLogTheWritesAFullBufferLosesOncePerTenSecondsNotOncePerWrite() {
        List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Outbox.class.getName());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                String m = r.getParameters() == null ? r.getMessage() : String.format(r.getMessage(), r.getParameters());
                if (m.contains("memory buffer full")) {
                    lines.add(m);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            Outbox outbox = new Outbox(pool, vertx, config("buffer", 3), Clock.systemUTC());
            for (int i = 0; i < 50; i++) {
                join(outbox.begin(intent(i)).recorded()); // each one answered: 3 held, 47 lost
            }

            assertThat(outbox.lastGap().lost()).as("every lost write counted").isEqualTo(47);
            assertThat(lines).as("47 writes lost at 3,000 a second would have been 47 ERROR lines a second")
                    .singleElement().asString().contains("PUT /api/devices/d-3 will not reach v2");
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void shouldNeverMakeACancelledIntentHeldInMemorySendable() throws Exception {
        Outbox outbox = new Outbox(pool, vertx, config("buffer", 10), Clock.systemUTC());
        Outbox.Ticket kept = outbox.begin(intent(1));
        Outbox.Ticket refused = outbox.begin(intent(2));
        join(kept.recorded());
        join(refused.recorded());
        join(kept.confirm(kept.intent()));
        refused.cancel();
        databaseComesBack();
        join(outbox.flushMemory());
        // the refused write is stored cancelled (its insert may have reached the database after all, and must not be sent)
        long toSend = join(pool.query("SELECT count(*) FROM cutover_outbox WHERE state <> 'cancelled'").execute()).iterator().next().getLong(0);
        assertThat(toSend).isEqualTo(1);
    }

    @Test
    void shouldFailTheIntentInStrictModeSoThatTheWriteIsRefused() {
        Outbox outbox = new Outbox(pool, vertx, config("strict", 10), Clock.systemUTC());
        Outbox.Ticket t = outbox.begin(intent(1));
        assertThat(t.recorded().toCompletionStage().toCompletableFuture()).failsWithin(java.time.Duration.ofSeconds(5));
        assertThat(outbox.heldInMemory()).isZero();
    }
}
