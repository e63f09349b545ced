package io.cutover.testing;

import static org.awaitility.Awaitility.await;

import io.cutover.policy.PolicyStore;
import io.cutover.rollback.SharedLatch;
import io.quarkus.test.common.QuarkusTestResource;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

/** Shared set-up of the tests that send real HTTP through the router to the two real backends. */
@QuarkusTestResource(Backends.class)
public abstract class ProxyTestBase {

    @Inject
    protected PolicyStore policies;

    @Inject
    protected SharedLatch latch;

    @Inject
    protected TestTicker ticker;

    @Inject
    protected io.cutover.rollback.LatchStoreLifecycle latchStore;

    protected TestBackend v1;
    protected TestBackend v2;

    @BeforeEach
    void resetBackendsAndPolicy() {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        v1 = Backends.v1();
        v2 = Backends.v2();
        v1.reset();
        v2.reset();
        CircuitBreakerMaintenance.get().resetAll();
        ticker.advance(Duration.ofHours(1));        // every call of earlier tests leaves the guard's windows
        latch.release("test set-up", "test");
        // the release reaches the shared row before the test writes to it (or another replica reads it)
        await().atMost(Duration.ofSeconds(5)).until(latchStore::written);
        applyPolicy(Backends.DEFAULT_POLICY);
        v1.reset();
        v2.reset();
    }

    /**
     * Publishes a policy and waits (at most 2 s, the contract) until the router has it in force.
     * Dual write stays off unless the policy names it, so that a test sees only the requests it sent.
     */
    protected void applyPolicy(String policy) {
        String yaml = policy.contains("dualWrite") ? policy : policy + "dualWrite: false\n";
        try {
            if (yaml.equals(Files.readString(Backends.policyFile()))) {
                return;
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        long before = policies.current().version();
        Backends.writePolicy(yaml);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> policies.current().version() > before);
    }
}
