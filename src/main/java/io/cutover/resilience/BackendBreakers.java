package io.cutover.resilience;

import io.cutover.proxy.BackendsConfig;
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
 */
@Singleton
public class BackendBreakers {

    private static final Logger LOG = Logger.getLogger(BackendBreakers.class);
    private static final TypeLiteral<CompletionStage<Object>> STAGE = new TypeLiteral<>() {
    };

    private final Map<Backend, TypedGuard<CompletionStage<Object>>> guards = new EnumMap<>(Backend.class);

    BackendBreakers(BackendsConfig config) {
        for (Backend b : Backend.values()) {
            BackendsConfig.Breaker c = config.of(b).breaker();
            guards.put(b, TypedGuard.create(STAGE)
                    .withThreadOffload(false)
                    .withCircuitBreaker()
                    .name(name(b))
                    .requestVolumeThreshold(c.requestVolume())
                    .failureRatio(c.failureRatio())
                    .delay(c.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(c.successThreshold())
                    .when(FailureClassifier::isFailure)
                    .onStateChange(s -> LOG.warnf("circuit breaker of %s is now %s", b.id(), s))
                    .done()
                    .build());
        }
    }

    /** Runs a backend call through the backend's breaker; fails fast with its open exception. */
    @SuppressWarnings("unchecked")
    public <T> CompletionStage<T> call(Backend backend, Supplier<CompletionStage<T>> call) {
        try {
            return (CompletionStage<T>) (CompletionStage<?>) guards.get(backend)
                    .get(() -> (CompletionStage<Object>) (CompletionStage<?>) call.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedStage(e);
        }
    }

    public CircuitBreakerState state(Backend backend) {
        return CircuitBreakerMaintenance.get().currentState(name(backend));
    }

    public static String name(Backend backend) {
        return "cutover-" + backend.id();
    }
}
