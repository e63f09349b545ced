package io.cutover.observability;

/**
 * Every metric name and tag of Cutover, in one place. Micrometer's Prometheus registry renders
 * {@code cutover.requests} as {@code cutover_requests_total}, timers as {@code _seconds}.
 */
public final class MetricNames {

    /** Proxied requests, by {@value #TAG_ROUTE}, {@value #TAG_BACKEND} (the one that answered) and {@value #TAG_OUTCOME}. */
    public static final String REQUESTS = "cutover.requests";
    /** Latency of backend calls, a histogram per {@value #TAG_BACKEND}. */
    public static final String BACKEND_LATENCY = "cutover.backend.latency";
    /** Routing decisions by {@value #TAG_REASON} and {@value #TAG_BACKEND}. */
    public static final String ROUTING_DECISIONS = "cutover.routing.decisions";
    /** 1 for the state each breaker is in, 0 for the others, by {@value #TAG_BACKEND} and {@value #TAG_STATE}. */
    public static final String BREAKER_STATE = "cutover.breaker.state";
    /** The V2 weight in force: the policy's, or 0 while a rollback is latched. */
    public static final String EFFECTIVE_WEIGHT = "cutover.traffic.v2.weight";
    /** The version of the traffic policy in force. */
    public static final String POLICY_VERSION = "cutover.policy.version";
    /** Policy reloads, by {@value #TAG_RESULT} (accepted, refused). */
    public static final String POLICY_RELOADS = "cutover.policy.reloads";
    /** Requests refused before any backend saw them, by {@value #TAG_REASON} (body-too-large, ...). */
    public static final String REJECTED = "cutover.requests.rejected";
    /**
     * Connections the router closed because they did not deliver a request head in time, by {@value #TAG_REASON}:
     * timeout ({@code cutover.edge.header-timeout}) or limit (one more than {@code cutover.edge.max-half-open} waiting).
     */
    public static final String EDGE_SLOW_CLIENTS_CLOSED = "cutover.edge.slow.clients.closed";
    /** 1 while the rollback is latched (everything on V1), else 0. */
    public static final String ROLLBACK_LATCHED = "cutover.rollback.latched";
    /** Latches made by this replica, by {@value #TAG_REASON} (error-rate, p99-latency, operator). */
    public static final String ROLLBACK_TRIPS = "cutover.rollback.trips";
    /** Failed reads or writes of the shared latch row, by {@value #TAG_OPERATION} (read, write). */
    public static final String ROLLBACK_STORE_ERRORS = "cutover.rollback.store.errors";
    /**
     * Windows in which the guard could not judge V2 (no V2 data, or not yet enough evidence at its confidences),
     * one per whole {@code rollback.window} of a run of such verdicts.
     */
    public static final String ROLLBACK_INCONCLUSIVE_WINDOWS = "cutover.rollback.inconclusive.windows";
    /** Seconds since the guard last could judge V2 (0 when its last verdict was conclusive). */
    public static final String ROLLBACK_BLIND = "cutover.rollback.blind";
    /** Seconds for which no V2 request has reached V2 within the guard's horizon (verdict no-data), else 0. */
    public static final String ROLLBACK_NO_DATA = "cutover.rollback.no.data";
    /** 1 for the guard's last verdict, 0 for the others, by {@value #TAG_STATE} (no-data, inconclusive, healthy, ...). */
    public static final String ROLLBACK_VERDICT = "cutover.rollback.verdict";
    /** Requests that reached each backend in the evidence the last verdict weighed, by {@value #TAG_BACKEND}. */
    public static final String ROLLBACK_EVIDENCE_REQUESTS = "cutover.rollback.evidence.requests";
    /** Of which failures, by {@value #TAG_BACKEND}. */
    public static final String ROLLBACK_EVIDENCE_FAILURES = "cutover.rollback.evidence.failures";
    /** The span of that evidence (since when it was gathered), in seconds. */
    public static final String ROLLBACK_EVIDENCE_AGE = "cutover.rollback.evidence.age";
    /** How sure the evidence makes the guard that V2 is worse (a latch at {@code rollback.confidence}), 0 to 1. */
    public static final String ROLLBACK_WORSE_CONFIDENCE = "cutover.rollback.worse.confidence";
    /** How sure it makes the guard that V2's error rate is under its threshold (healthy at {@code promoteConfidence}). */
    public static final String ROLLBACK_HEALTHY_CONFIDENCE = "cutover.rollback.healthy.confidence";

    /** Outbox rows still to send, by {@value #TAG_TARGET}. */
    public static final String OUTBOX_PENDING = "cutover.outbox.pending";
    /** Age of the oldest outbox row still to send, by {@value #TAG_TARGET}. */
    public static final String OUTBOX_OLDEST_AGE = "cutover.outbox.oldest.pending.age";
    /** Outbox rows the target refused with a 4xx: they need an operator. */
    public static final String OUTBOX_FAILED_ROWS = "cutover.outbox.failed.rows";
    /** How far a target is behind: age of the oldest outbox row it does not have yet, by {@value #TAG_TARGET}. */
    public static final String OUTBOX_LAG = "cutover.outbox.lag";
    /** Entities whose next outbox row keeps failing (their later rows wait), by {@value #TAG_TARGET}. */
    public static final String OUTBOX_BLOCKED = "cutover.outbox.blocked.entities";
    /** Rounds of claims and sends run by this replica's outbox worker. */
    public static final String OUTBOX_ROUNDS = "cutover.outbox.rounds";
    /** Secondary writes sent and accepted, by {@value #TAG_TARGET}. */
    public static final String OUTBOX_SENT = "cutover.outbox.sent";
    public static final String OUTBOX_COALESCED = "cutover.outbox.coalesced";
    /** Secondary writes scheduled again after a failed attempt, by {@value #TAG_TARGET}. */
    public static final String OUTBOX_RETRIED = "cutover.outbox.retried";
    /** Failed secondary attempts by {@value #TAG_TARGET} and {@value #TAG_REASON}. */
    public static final String OUTBOX_FAILED_ATTEMPTS = "cutover.outbox.failed.attempts";
    /** Intents held in memory while the router's database is down. */
    public static final String OUTBOX_MEMORY = "cutover.outbox.memory.held";
    /** Intents lost to a full memory buffer in the last database outage. */
    public static final String OUTBOX_LOST = "cutover.outbox.memory.lost";
    /** 1 while the write path reaches the router's database within its bound, 0 while it is down or hung. */
    public static final String OUTBOX_DATABASE_UP = "cutover.outbox.database.up";

    /** Tenants in each migration state, by {@value #TAG_STATE} (dual-write, ..., writes-on-v2). */
    public static final String TENANT_STATES = "cutover.tenant.states";
    /** Asked moves of a tenant's state, by {@value #TAG_RESULT} (accepted, forced, refused, invalid). */
    public static final String TENANT_TRANSITIONS = "cutover.tenant.transitions";
    /** Pins to V2 of the policy file not applied now (their tenant's last verify found differences). */
    public static final String POLICY_PINS_REFUSED = "cutover.policy.pins.refused";
    /** Each time a pin to V2 was refused (a policy load, or new verify results). */
    public static final String POLICY_PIN_REFUSALS = "cutover.policy.pin.refusals";
    /** Shadow reads compared (both answers read and compared), by {@value #TAG_ROUTE}, {@value #TAG_TENANT} and {@value #TAG_PRIMARY}. */
    public static final String SHADOW_COMPARED = "cutover.shadow.compared";
    /** Shadow reads whose answers differed beyond the noise, same tags as {@link #SHADOW_COMPARED}. */
    public static final String SHADOW_MISMATCHED = "cutover.shadow.mismatched";
    /** Shadow reads where fields also differed between two answers of the primary (noise, not counted as mismatch). */
    public static final String SHADOW_NOISE = "cutover.shadow.noise";
    /** Sampled reads not compared, by {@value #TAG_REASON} (overloaded, breaker-open, status, not-json, too-large, secondary-failed, primary-failed). */
    public static final String SHADOW_SKIPPED = "cutover.shadow.skipped";

    /** The current step of the progression, 1-based among its steps (0 without a progression or when aborted). */
    public static final String PROGRESSION_STEP = "cutover.progression.step";
    /** 1 for the phase the progression is in, by {@value #TAG_STATE} (progressing, waiting-gate, paused, aborted, done). */
    public static final String PROGRESSION_STATE = "cutover.progression.state";
    /** Seconds since the progression's phase or step last changed (how long a gate has been waiting). */
    public static final String PROGRESSION_STATE_AGE = "cutover.progression.state.age.seconds";
    /**
     * Moves of the progression written by this replica, by {@value #TAG_RESULT}: promoted (by the guard), operator,
     * gate-waiting, aborted, held (a hold written: at most one per {@code cutover.progression.hold-resolution} while it lasts).
     */
    public static final String PROGRESSION_PROMOTIONS = "cutover.progression.promotions";
    /** Override headers seen, by {@value #TAG_RESULT} (applied, stripped: the caller is not a tester, invalid, ignored). */
    public static final String ROUTING_OVERRIDES = "cutover.routing.overrides";
    /** Webhook notifications, by {@value #TAG_RESULT} (delivered, retried, failed, dropped). */
    public static final String NOTIFY_DELIVERIES = "cutover.notify.deliveries";
    /** Access log lines dropped because its writer fell behind ({@code cutover.access-log.queue-size}). */
    public static final String ACCESS_LOG_DROPPED = "cutover.access.log.dropped";

    public static final String TAG_TARGET = "target";
    public static final String TAG_TENANT = "tenant";
    public static final String TAG_PRIMARY = "primary";
    public static final String TAG_ROUTE = "route";
    public static final String TAG_BACKEND = "backend";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_REASON = "reason";
    public static final String TAG_STATE = "state";
    public static final String TAG_RESULT = "result";
    public static final String TAG_OPERATION = "operation";

    private MetricNames() {
    }
}
