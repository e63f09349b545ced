package io.cutover.rollback;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.database.RouterDatabase;
import io.cutover.testing.ProxyTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The latch shared through the router's PostgreSQL (embedded in tests): other "replicas" here are
 * further {@link SharedLatch} + {@link LatchStore} pairs on the same database.
 */
@QuarkusTest
class SharedLatchStoreTest extends ProxyTestBase {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    /** The poll of the replicas these tests start: out of reach, so only LISTEN/NOTIFY can tell them. */
    private static final Duration NO_POLL = Duration.ofHours(1);

    @jakarta.inject.Inject
    RouterDatabase db;

    @jakarta.inject.Inject
    Vertx vertx;

    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void stopReplicas() {
        cleanup.forEach(Runnable::run);
        cleanup.clear();
    }

    private record Replica(SharedLatch latch, LatchStore store) {
    }

    private Replica replica(PgConnectOptions options) {
        return replica(options, LatchStore.Errors.NONE, NO_POLL);
    }

    private Replica replica(PgConnectOptions options, LatchStore.Errors errors, Duration poll) {
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(options).using(vertx).build();
        SharedLatch l = new SharedLatch(Clock.systemUTC());
        LatchStore s = new LatchStore(vertx, pool, options, l, poll, errors);
        s.start(Duration.ofSeconds(5));
        cleanup.add(() -> {
            s.stop();
            pool.close();
        });
        if (poll.equals(NO_POLL)) {
            await().atMost(Duration.ofSeconds(5)).until(s::listening);   // from here on only a NOTIFY can tell it
        }
        return new Replica(l, s);
    }

    private Row row() throws Exception {
        return db.pool().query("SELECT state, reason, changed_by FROM cutover_rollback_latch WHERE id = 1").execute()
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).iterator().next();
    }

    @Test
    void shouldObeyALatchSetByAnotherReplicaWithinOneSecond() {
        applyPolicy("v2Weight: 100\ntenants: {tenant-early: v2}\n");
        Replica other = replica(db.connectOptions());
        given().get("/api/devices").then().statusCode(200).header("X-Cutover-Backend", "v2");

        other.latch().latchByHand("latched on replica B", "operator@10.0.0.2", null);

        await().atMost(ONE_SECOND).pollInterval(Duration.ofMillis(20)).until(latch::isLatched);
        assertThat(latch.state().reason()).isEqualTo("latched on replica B");
        assertThat(latch.state().by()).isEqualTo("operator@10.0.0.2");
        given().header("X-Api-Key", "key-tenant-early").get("/api/devices").then().statusCode(200).header("X-Cutover-Backend", "v1");

        other.latch().release("released on replica B", "operator@10.0.0.2");

        await().atMost(ONE_SECOND).pollInterval(Duration.ofMillis(20)).until(() -> !latch.isLatched());
        given().get("/api/devices").then().statusCode(200).header("X-Cutover-Backend", "v2");
    }

    @Test
    void shouldTellAnotherReplicaOfALatchSetHereWithinOneSecond() {
        Replica other = replica(db.connectOptions());

        latch.latchByHand("latched on replica A", "operator@10.0.0.1", null);

        await().atMost(ONE_SECOND).pollInterval(Duration.ofMillis(20)).until(() -> other.latch().isLatched());
        assertThat(other.latch().state().reason()).isEqualTo("latched on replica A");
    }

    @Test
    void shouldObeyARowChangedWithPlainSqlAndNotify() throws Exception {
        Replica listening = replica(db.connectOptions());
        db.pool().query("""
                UPDATE cutover_rollback_latch SET state = 'LATCHED', cause = 'operator', reason = 'by SQL',
                       since = now(), changed_by = 'dba', version = version + 1 WHERE id = 1""").execute()
                .compose(r -> db.pool().query("NOTIFY cutover_latch").execute())
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);

        await().atMost(ONE_SECOND).pollInterval(Duration.ofMillis(20)).until(() -> listening.latch().isLatched());
        assertThat(listening.latch().state().by()).isEqualTo("dba");
    }

    @Test
    void shouldKeepTheLatchAcrossARestart() throws Exception {
        latch.latchByHand("hold V1 over the restart", "operator@10.0.0.1", null);
        await().atMost(ONE_SECOND).until(() -> "LATCHED".equals(row().getString("state")));

        Replica restarted = replica(db.connectOptions());      // a new process: fresh latch, reads the row at start

        assertThat(restarted.latch().isLatched()).isTrue();
        assertThat(restarted.latch().state().reason()).isEqualTo("hold V1 over the restart");
        assertThat(restarted.latch().state().by()).isEqualTo("operator@10.0.0.1");
    }

    @Test
    void shouldWriteALatchMadeWhileTheDatabaseWasDownWhenItComesBack() throws Exception {
        TcpGate gate = new TcpGate(vertx, db.connectOptions().getHost(), db.connectOptions().getPort());
        cleanup.add(gate::close);
        PgConnectOptions viaGate = new PgConnectOptions(db.connectOptions()).setHost("127.0.0.1").setPort(gate.port())
                .setConnectTimeout(300);
        AtomicInteger failedWrites = new AtomicInteger();
        Replica cut = replica(viaGate, op -> {
            if (op.equals("write")) {
                failedWrites.incrementAndGet();
            }
        }, Duration.ofMillis(500));                                  // its poll retries the write
        gate.down();

        cut.latch().latchByHand("latched while the DB was away", "operator@10.0.0.4", null);
        await().atMost(Duration.ofSeconds(2)).until(() -> failedWrites.get() >= 1);
        assertThat(cut.latch().isLatched()).isTrue();
        assertThat(row().getString("state")).isEqualTo("ARMED");
        assertThat(latch.isLatched()).isFalse();

        gate.up();

        await().atMost(Duration.ofSeconds(3)).until(() -> "LATCHED".equals(row().getString("state")));
        assertThat(row().getString("reason")).isEqualTo("latched while the DB was away");
        await().atMost(ONE_SECOND).until(latch::isLatched);
    }

    /** A TCP pass-through to the database that can be cut (listener closed, connections dropped) and restored. */
    static final class TcpGate {
        private final Vertx vertx;
        private final io.vertx.core.net.NetClient client;
        private final String host;
        private final int target;
        private final List<io.vertx.core.net.NetSocket> open = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile io.vertx.core.net.NetServer server;
        private int port;

        TcpGate(Vertx vertx, String host, int target) throws Exception {
            this.vertx = vertx;
            this.client = vertx.createNetClient();
            this.host = host;
            this.target = target;
            server = listen(0);
            port = server.actualPort();
        }

        private io.vertx.core.net.NetServer listen(int p) throws Exception {
            return vertx.createNetServer().connectHandler(in -> {
                in.pause();
                client.connect(target, host).onSuccess(out -> {
                    open.add(in);
                    open.add(out);
                    in.pipeTo(out);
                    out.pipeTo(in);
                    in.resume();
                }).onFailure(e -> in.close());
            }).listen(p, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }

        int port() {
            return port;
        }

        void down() throws Exception {
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            open.forEach(io.vertx.core.net.NetSocket::close);
            open.clear();
        }

        void up() throws Exception {
            server = listen(port);
        }

        void close() {
            server.close();
            open.forEach(io.vertx.core.net.NetSocket::close);
            client.close();
        }
    }

    @Test
    void shouldKeepTheLocalLatchWorkingWhileTheDatabaseIsUnreachable() {
        PgConnectOptions nowhere = new PgConnectOptions(db.connectOptions()).setPort(1).setConnectTimeout(200);
        AtomicInteger errors = new AtomicInteger();
        Pool pool = PgBuilder.pool().connectingTo(nowhere).using(vertx).build();
        SharedLatch l = new SharedLatch(Clock.systemUTC());
        LatchStore s = new LatchStore(vertx, pool, nowhere, l, Duration.ofMillis(100), op -> errors.incrementAndGet());
        s.start(Duration.ofMillis(500));
        cleanup.add(() -> {
            s.stop();
            pool.close();
        });

        l.latchByHand("database is down", "operator@10.0.0.3", null);

        assertThat(l.isLatched()).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> errors.get() >= 2);
        assertThat(l.isLatched()).isTrue();
    }
}
