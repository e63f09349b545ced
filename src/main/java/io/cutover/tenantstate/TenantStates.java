package io.cutover.tenantstate;

import io.cutover.database.ChangeFeed;
import io.cutover.database.RouterDatabase;
import io.cutover.notify.Notice;
import io.cutover.notify.Notifier;
import io.cutover.observability.MetricNames;
import io.cutover.policy.PinGate;
import io.cutover.policy.PolicyStore;
import io.cutover.policy.TrafficPolicy;
import io.cutover.routing.Backend;
import io.cutover.routing.TenantPhases;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The tenants' migration states on this replica: a {@link TenantSnapshot} read from the router's database at
 * start, kept in step by {@code LISTEN cutover_tenants} and a poll ({@link ChangeFeed}), read from memory by the
 * router ({@link TenantPhases}) and by the policy's pin gate ({@link PinGate}). Moves go to the database first
 * (one transaction that checks the {@link Gate}), then this replica re-reads its copy before answering.
 */
@Singleton
public class TenantStates implements TenantPhases, PinGate {

    private static final Logger LOG = Logger.getLogger(TenantStates.class);
    /** How long start-up waits for the states, so that a restarted replica routes each tenant as before. */
    static final Duration START_READ_WAIT = Duration.ofSeconds(5);
    static final int HISTORY_LIMIT = 100;

    /** The answer to a move. */
    public record Move(Gate.Kind result, String message, TenantView tenant) {
        public boolean moved() {
            return result == Gate.Kind.ALLOWED || result == Gate.Kind.FORCED;
        }

        public boolean forced() {
            return result == Gate.Kind.FORCED;
        }
    }

    /** One tenant with its moves, newest first. */
    public record Detail(TenantView tenant, List<Transition> history) {
    }

    private final AtomicReference<TenantSnapshot> current = new AtomicReference<>(TenantSnapshot.EMPTY);
    private final RouterDatabase db;
    private final Vertx vertx;
    private final PolicyStore policies;
    private final TenantStateConfig config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Counter pinRefusals;
    private Set<String> reportedRefusals = Set.of();
    private volatile TenantStateStore store;
    private ChangeFeed feed;

    private final Notifier notifier;

    TenantStates(RouterDatabase db, Vertx vertx, PolicyStore policies, TenantStateConfig config, Clock clock,
                 MeterRegistry registry, Notifier notifier) {
        this.notifier = notifier;
        this.db = db;
        this.vertx = vertx;
        this.policies = policies;
        this.config = config;
        this.clock = clock;
        this.registry = registry;
        this.pinRefusals = registry.counter(MetricNames.POLICY_PIN_REFUSALS);
        Gauge.builder(MetricNames.POLICY_PINS_REFUSED, policies, p -> p.current().refusedPins().size()).register(registry);
        for (MigrationState s : MigrationState.values()) {
            Gauge.builder(MetricNames.TENANT_STATES, current, c -> c.get().states().values().stream()
                    .filter(t -> t.state() == s).count()).tag(MetricNames.TAG_STATE, s.id()).register(registry);
        }
        for (Gate.Kind k : Gate.Kind.values()) {
            registry.counter(MetricNames.TENANT_TRANSITIONS, MetricNames.TAG_RESULT, result(k));
        }
    }

    void start(@Observes @Priority(25) StartupEvent event) {
        if (!db.configured()) {
            LOG.warn("no router database (quarkus.datasource.reactive.url): no per-tenant migration state,"
                    + " every tenant follows the traffic policy");
            return;
        }
        store = new TenantStateStore(db.pool());
        try {
            reload().toCompletionStage().toCompletableFuture().get(START_READ_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            TenantSnapshot s = current.get();
            LOG.infof("tenant migration states read from the database: %d tenants %s", s.states().size(),
                    new TreeMap<>(Map.copyOf(countByState(s))));
        } catch (Exception e) {
            LOG.warnf("cannot read the tenant migration states at start (%s): every tenant follows the policy until"
                    + " they can be read (retrying every %s)", ChangeFeed.rootMessage(e), config.pollInterval());
        }
        feed = new ChangeFeed(vertx, db.connectOptions(), TenantStateStore.CHANNEL, "tenant migration states",
                config.pollInterval(), this::reload);
        feed.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (feed != null) {
            feed.stop();
        }
    }

    @Override
    public Phase phase(String tenant) {
        return current.get().phase(tenant);
    }

    /** A pin to V2 is refused when the tenant's last verify found differences, unless the policy forces it. */
    @Override
    public Map<String, String> refused(TrafficPolicy policy) {
        TenantSnapshot s = current.get();
        Map<String, String> refused = new TreeMap<>();
        policy.pins().forEach((tenant, backend) -> {
            if (backend == Backend.V2 && !policy.forcedPins().contains(tenant)) {
                String problem = Gate.pinProblem(tenant, s.lastVerify(tenant));
                if (problem != null) {
                    refused.put(tenant, problem);
                }
            }
        });
        synchronized (this) {
            for (String tenant : refused.keySet()) {
                if (!reportedRefusals.contains(tenant)) {
                    pinRefusals.increment();
                    notifier.notify(Notice.of(Notice.Event.PIN_REFUSED, clock.instant(), ":no_entry: Cutover: pin of tenant "
                            + tenant + " to V2 refused, the tenant follows the weight: " + refused.get(tenant),
                            "tenant", tenant, "problem", refused.get(tenant)));
                }
            }
            reportedRefusals = new HashSet<>(refused.keySet());
        }
        policy.forcedPins().forEach(tenant -> {
            String problem = Gate.pinProblem(tenant, s.lastVerify(tenant));
            if (problem != null && policy.pins().get(tenant) == Backend.V2) {
                LOG.debugf("pin of tenant %s to v2 kept although %s: forced by the policy", tenant, problem);
            }
        });
        return refused;
    }

    /** This replica's copy, as the router reads it. */
    TenantSnapshot snapshot() {
        return current.get();
    }

    /** Whether the {@code LISTEN cutover_tenants} is in place: a change made elsewhere reaches this copy without the poll. */
    boolean listening() {
        ChangeFeed f = feed;
        return f != null && f.subscribed();
    }

    /** Whether states can be read and moved (there is a router database). */
    public boolean available() {
        return store != null;
    }

    /** Every tenant with a recorded state, by name; from memory. */
    public List<TenantView> list() {
        TenantSnapshot s = current.get();
        return new TreeMap<>(s.states()).values().stream()
                .map(t -> TenantView.of(t.tenant(), t, s.lastVerify(t.tenant()))).toList();
    }

    /** One tenant (in dual-write when it has no recorded state) and its moves, read from the database. */
    public Future<Detail> detail(String tenant) {
        return store.history(tenant, HISTORY_LIMIT).map(history -> {
            TenantSnapshot s = current.get();
            return new Detail(TenantView.of(tenant, s.states().get(tenant), s.lastVerify(tenant)), history);
        });
    }

    /**
     * Moves a tenant: checked and written in one transaction, audited, then this replica's copy is re-read (the
     * other replicas get the NOTIFY) before the answer, so that the next request here is routed by the new state.
     */
    public Future<Move> move(String tenant, MigrationState target, String reason, String by, boolean force) {
        return store.move(tenant, target, reason, by, force, clock.instant()).compose(m -> {
            registry.counter(MetricNames.TENANT_TRANSITIONS, MetricNames.TAG_RESULT, result(m.verdict().kind())).increment();
            String from = m.before() == null ? "(none)" : m.before().id();
            String verify = m.lastVerify() == null ? "none" : m.lastVerify().describe();
            if (!m.verdict().moves()) {
                LOG.infof("tenant %s: move %s -> %s by=%s refused (%s): %s", tenant, from, target.id(), by,
                        result(m.verdict().kind()), m.verdict().message());
                TenantSnapshot s = current.get();
                return Future.succeededFuture(new Move(m.verdict().kind(), m.verdict().message(),
                        TenantView.of(tenant, m.after(), s.lastVerify(tenant))));
            }
            LOG.infof("AUDIT tenant %s moved %s -> %s by=%s forced=%s reason=%s lastVerify=%s%s", tenant, from, target.id(),
                    by, m.verdict().kind() == Gate.Kind.FORCED, reason, verify,
                    m.verdict().kind() == Gate.Kind.FORCED ? " (gate overridden: " + m.verdict().message() + ")" : "");
            notifier.notify(Notice.of(Notice.Event.TENANT_STATE_MOVED, clock.instant(), ":twisted_rightwards_arrows: Cutover: tenant "
                    + tenant + " moved " + from + " -> " + target.id() + " by " + by + ": " + reason,
                    "tenant", tenant, "from", from, "to", target.id(), "by", by, "reason", reason,
                    "forced", m.verdict().kind() == Gate.Kind.FORCED));
            return reload().map(v -> new Move(m.verdict().kind(), m.verdict().message(),
                    TenantView.of(tenant, m.after(), current.get().lastVerify(tenant))));
        });
    }

    /** Re-reads the states and last verify runs, then lets the policy re-ask the pin gate. */
    Future<TenantSnapshot> reload() {
        TenantStateStore s = store;
        if (s == null) {
            return Future.succeededFuture(current.get());
        }
        return s.load().map(snapshot -> {
            TenantSnapshot before = current.getAndSet(snapshot);
            if (!snapshot.equals(before)) {
                policies.reapplyPinGate();
            }
            return snapshot;
        });
    }

    private static Map<String, Long> countByState(TenantSnapshot s) {
        Map<String, Long> counts = new TreeMap<>();
        s.states().values().forEach(t -> counts.merge(t.state().id(), 1L, Long::sum));
        return counts;
    }

    private static String result(Gate.Kind kind) {
        return switch (kind) {
            case ALLOWED -> "accepted";
            case FORCED -> "forced";
            case REFUSED -> "refused";
            case INVALID -> "invalid";
        };
    }
}
