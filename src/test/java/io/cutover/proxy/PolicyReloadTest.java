package io.cutover.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.testing.Backends;
import io.cutover.testing.ProxyTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PolicyReloadTest extends ProxyTestBase {

    @Inject
    MeterRegistry registry;

    @Test
    void shouldMoveTrafficWithinTwoSecondsOfAConfigMapSwap() {
        given().get("/api/devices").then().header(ResponseRelay.BACKEND_HEADER, "v1");
        long before = policies.current().version();
        Backends.writePolicy("v2Weight: 100\n");
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                given().get("/api/devices").then().header(ResponseRelay.BACKEND_HEADER, "v2"));
        assertThat(policies.current().version()).isEqualTo(before + 1);
        assertThat(policies.current().source()).isEqualTo(Backends.policyFile().toString());
    }

    @Test
    void shouldRefuseAnInvalidReloadAndKeepTheLastGoodPolicy() {
        applyPolicy("v2Weight: 100\n");
        long good = policies.current().version();
        double refusedBefore = refused();
        Backends.writePolicy("v2Weight: 250\ntenants: {acme: v3}\n");
        await().atMost(Duration.ofSeconds(2)).until(() -> refused() > refusedBefore);
        assertThat(policies.current().version()).isEqualTo(good);
        assertThat(policies.policy().v2Weight()).isEqualTo(100);
        given().get("/api/devices").then().statusCode(200).header(ResponseRelay.BACKEND_HEADER, "v2");
        Backends.writePolicy("v2Weight: [broken\n");
        await().atMost(Duration.ofSeconds(2)).until(() -> refused() > refusedBefore + 1);
        assertThat(policies.current().version()).isEqualTo(good);
        applyPolicy("v2Weight: 0\n");
        given().get("/api/devices").then().statusCode(200).header(ResponseRelay.BACKEND_HEADER, "v1");
    }

    @Test
    void shouldKeepServingEveryRequestWhileThePolicyChangesUnderLoad() throws Exception {
        var errors = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        var served = new java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger>();
        var died = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        var done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread load = new Thread(() -> {
            try {
                int i = 0;
                while (!done.get()) {
                    var r = given().header("X-Api-Key", "key-tenant-" + (i++ % 50)).get("/api/devices/x");
                    if (r.statusCode() != 200) {
                        errors.add(r.statusCode() + " " + r.asString());
                    }
                    served.computeIfAbsent(String.valueOf(r.header(ResponseRelay.BACKEND_HEADER)),
                            b -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                }
            } catch (Throwable t) {
                died.set(t);
            }
        }, "policy-reload-load");
        load.start();
        for (int w : new int[] {10, 50, 100, 0, 30}) {
            applyPolicy("v2Weight: " + w + "\n");
            int seen = served.values().stream().mapToInt(java.util.concurrent.atomic.AtomicInteger::get).sum();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->    // load under each policy
                    served.values().stream().mapToInt(java.util.concurrent.atomic.AtomicInteger::get).sum() >= seen + 5);
        }
        done.set(true);
        load.join(10_000);

        assertThat(load.isAlive()).isFalse();
        assertThat(died.get()).as("the load thread died").isNull();
        assertThat(errors).as("answers other than 200").isEmpty();
        assertThat(served.keySet()).as("backends that answered").containsExactlyInAnyOrder("v1", "v2");
        assertThat(served.get("v1").get() + served.get("v2").get()).isGreaterThanOrEqualTo(25);
    }

    private double refused() {
        return registry.counter("cutover.policy.reloads", "result", "refused").count();
    }
}
