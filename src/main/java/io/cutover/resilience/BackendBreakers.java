package io.cutover.resilience;

import io.cutover.clock.Ticker;
import io.cutover.backend.BackendsConfig;
import io.cutover.routing.Backend;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.inject.Singleton;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One SmallRye Fault Tolerance circuit breaker per backend, named {@code cutover-v1} and
 * {@code cutover-v2}. What counts as a failure is {@link FailureClassifier}'s call. The guarded call
 * stays on the caller's event loop (no thread offload).
 * <p>
 * Breakers judge recent calls: SmallRye's window counts the last {@code request-volume} calls of
 * any age, so once the first call of a closed breaker's window is
 * {@code cutover.backends.<b>.breaker.window} old the breaker is reset through
 * {@link CircuitBreakerMaintenance} and its window starts afresh ({@link BreakerWindow}). A failure
 * older than that window never opens a breaker; a call still in flight at the reset is forgotten.
 */
@Singleton
public class BackendBreakers {

    private static final Logger LOG = Logger.getLogger(BackendBreakers.class);
    private static final TypeLiteral<CompletionStage<Object>> STAGE = new TypeLiteral<>() {
    };

    private final Map<Backend, TypedGuard<CompletionStage<Object>>> guards = new EnumMap<>(Backend.class);
    private final Map<Backend, BreakerWindow> windows = new EnumMap<>(Backend.class);
    private final Ticker ticker;
    /** Looked up once: {@code CircuitBreakerMaintenance.get()} is a CDI lookup, and state is read on every call. */
    private final CircuitBreakerMaintenance maintenance;
    private final String[] names = new String[Backend.values().length];

    @jakarta.inject.Inject
    BackendBreakers(BackendsConfig config, Ticker ticker, CircuitBreakerMaintenance maintenance) {
        this(config, ticker, maintenance, "");
    }

    /**
     * Breakers configured as the backends' own, under names of their own ({@code prefix} + the backend's breaker name):
     * the router's warm-up calls go through these (io.cutover.proxy.WarmUp), so the real breakers never see them.
     */
    public static BackendBreakers named(String prefix, BackendsConfig config, Ticker ticker, CircuitBreakerMaintenance maintenance) {
        return new BackendBreakers(config, ticker, maintenance, prefix);
    }

    private BackendBreakers(BackendsConfig config, Ticker ticker, CircuitBreakerMaintenance maintenance, String prefix) {
        this.ticker = ticker;
        this.maintenance = maintenance;
        for (Backend b : Backend.values()) {
            BackendsConfig.Breaker c = config.of(b).breaker();
            String name = prefix + name(b);
            names[b.ordinal()] = name;
            BreakerWindow window = new BreakerWindow(c.window(), "cutover.backends." + b.id() + ".breaker.window");
            windows.put(b, window);
            guards.put(b, TypedGuard.create(STAGE)
                    .withThreadOffload(false)
                    .withCircuitBreaker()
                    .name(name)
                    .requestVolumeThreshold(c.requestVolume())
                    .failureRatio(c.failureRatio())
                    .delay(c.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(c.successThreshold())
                    .when(FailureClassifier::isFailure)
                    .onStateChange(s -> {
                        window.moved(s, ticker.nanos());
                        LOG.warnf("circuit breaker of %s is now %s", prefix + b.id(), s);
                    })
                    .done()
                    .build());
        }
    }

    /** Runs a backend call through the backend's breaker; fails fast with its open exception. */
    @SuppressWarnings("unchecked")
    public <T> CompletionStage<T> call(Backend backend, Supplier<CompletionStage<T>> call) {
        BreakerWindow window = windows.get(backend);
        CircuitBreakerState state = state(backend);
        window.observe(state);
        if (state == CircuitBreakerState.CLOSED && window.agedOut(ticker.nanos())) {
            maintenance.reset(names[backend.ordinal()]);
            LOG.debugf("circuit breaker of %s: its window's calls are older than the breaker window, it starts afresh", backend.id());
        }
        try {
            return (CompletionStage<T>) (CompletionStage<?>) guards.get(backend)
                    .get(() -> (CompletionStage<Object>) (CompletionStage<?>) call.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedStage(e);
        }
    }

    public CircuitBreakerState state(Backend backend) {
        return maintenance.currentState(names[backend.ordinal()]);
    }

    /**
     * Since when (ticker nanoseconds) the calls that last opened the backend's breaker were made:
     * the evidence behind its short-circuits, at most {@code breaker.window} older than the opening.
     * {@link Long#MIN_VALUE} if it never opened.
     */
    public long openedByCallsSince(Backend backend) {
        return windows.get(backend).evidenceSince();
    }

    public static String name(Backend backend) {
        return "cutover-" + backend.id();
    }
}
