package io.cutover.progression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.database.RouterDatabase;
import io.cutover.policy.PolicyParser;
import io.cutover.policy.TrafficPolicy;
import io.cutover.progression.ProgressionTest.MovableClock;
import io.cutover.rollback.SharedLatch;
import io.cutover.rollback.Verdict;
import io.cutover.testing.ProxyTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The progression shared through the router's PostgreSQL (embedded): the "replicas" here are further
 * {@link Progression}s on the same database, each with its own latch and a clock the test moves.
 */
@QuarkusTest
class SharedProgressionTest extends ProxyTestBase {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final TrafficPolicy POLICY;

    static {
        try {
            POLICY = new PolicyParser().parse("progression: {steps: [1, 5, 25, 100], interval: 10m}\n", "test");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Inject
    RouterDatabase db;

    @Inject
    Vertx vertx;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final List<Progression> started = new ArrayList<>();
    private final List<Transitions.Event> told = new CopyOnWriteArrayList<>();

    @BeforeEach
    void noProgressionYet() throws Exception {
        db.pool().query("DELETE FROM cutover_progression").execute().toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopReplicas() {
        started.forEach(Progression::stop);
    }

    private Progression replica() {
        Progression p = new Progression(() -> POLICY, new SharedLatch(clock), clock, Duration.ofSeconds(1),
                (move, before) -> told.add(move.event()));
        p.start(db, vertx, Duration.ofMillis(500));
        started.add(p);
        return p;
    }

    private static void verdict(Progression p, Verdict.Kind kind) {
        p.onVerdict(new Verdict(kind, "test", null));
        await().atMost(Duration.ofSeconds(5)).until(p::idle);
    }

    private static double weight(Progression p) {
        return p.v2Weight(POLICY);
    }

    @Test
    void shouldHaveEveryReplicaFollowAPromotionWithinOneSecond() {
        Progression a = replica();
        Progression b = replica();
        verdict(a, Verdict.Kind.HEALTHY);
        await().atMost(ONE_SECOND).until(() -> weight(b) == 1);

        clock.advance(Duration.ofMinutes(10));
        verdict(a, Verdict.Kind.HEALTHY);
        assertThat(weight(a)).isEqualTo(5);
        await().atMost(ONE_SECOND).pollInterval(Duration.ofMillis(20)).until(() -> weight(b) == 5);
    }

    @Test
    void shouldPromoteOnceWhenTwoReplicasPromoteAtTheSameTime() {
        Progression a = replica();
        Progression b = replica();
        verdict(a, Verdict.Kind.HEALTHY);
        await().atMost(ONE_SECOND).until(() -> b.state() != null);
        clock.advance(Duration.ofMinutes(10));

        a.onVerdict(new Verdict(Verdict.Kind.HEALTHY, "test", null));
        b.onVerdict(new Verdict(Verdict.Kind.HEALTHY, "test", null));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.idle() && b.idle());
        await().atMost(ONE_SECOND).until(() -> weight(a) == 5 && weight(b) == 5);
        assertThat(told).as("one replica won the step, the other followed it").containsOnlyOnce(Transitions.Event.PROMOTED);
    }

    @Test
    void shouldHoldEveryReplicaWhenOneSawAWindowThatWasNotHealthy() {
        Progression a = replica();
        Progression b = replica();
        verdict(a, Verdict.Kind.HEALTHY);
        await().atMost(ONE_SECOND).until(() -> b.state() != null);
        clock.advance(Duration.ofMinutes(5));
        verdict(b, Verdict.Kind.INCONCLUSIVE);
        await().atMost(ONE_SECOND).until(() -> a.state().hold() != null);

        clock.advance(Duration.ofMinutes(5));
        verdict(a, Verdict.Kind.HEALTHY);
        assertThat(weight(a)).as("B's silent window restarted the interval for A too").isEqualTo(1);
        clock.advance(Duration.ofMinutes(5));
        verdict(a, Verdict.Kind.HEALTHY);
        assertThat(weight(a)).isEqualTo(5);
    }

    @Test
    void shouldKeepTheStepAcrossARestart() {
        Progression a = replica();
        verdict(a, Verdict.Kind.HEALTHY);
        clock.advance(Duration.ofMinutes(10));
        verdict(a, Verdict.Kind.HEALTHY);
        clock.advance(Duration.ofMinutes(10));
        verdict(a, Verdict.Kind.HEALTHY);
        assertThat(weight(a)).isEqualTo(25);
        a.stop();

        Progression restarted = replica();
        assertThat(weight(restarted)).as("read at start, before any verdict").isEqualTo(25);
        assertThat(restarted.state().stepSince()).isEqualTo(clock.instant());
    }

    @Test
    void shouldAuditAnOperatorsPromotionWithWhoAndWhy() throws Exception {
        Progression a = replica();
        verdict(a, Verdict.Kind.HEALTHY);
        Progression.Result r = a.promote("operator@10.0.0.7", "skip the rest: V2 load-tested").toCompletionStage()
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(r.changed()).isTrue();
        List<ProgressionStore.Event> events = a.events().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(events.get(0)).extracting(ProgressionStore.Event::event, ProgressionStore.Event::weight,
                ProgressionStore.Event::by, ProgressionStore.Event::reason)
                .containsExactly("promoted-by-operator", 5.0, "operator@10.0.0.7", "skip the rest: V2 load-tested");
    }
}
