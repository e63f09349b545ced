package io.cutover.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.observability.MetricNames;
import io.cutover.testing.TestBackend;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Device ids that look like another route (issue 20: {@code telemetry-gw-1} was taken for a reading, whose copies
 * queue behind nothing): through the real router, its outbox and two real backends, V2 takes each device's
 * writes in the order V1 did and ends with V1's last version, even when V2 refuses a device's first copy for a
 * while.
 */
@QuarkusTest
@TestProfile(WorkerByHandProfile.class)
class RouteOrderTest extends OutboxTestBase {

    private static final int DEVICES = 10;
    private static final int VERSIONS = 3;

    @TestHTTPResource("/")
    URI router;
    @Inject
    MeterRegistry registry;

    @Test
    void shouldOrderTheWritesOfDeviceIdsThatLookLikeAnotherRouteOnTheSecondary() throws Exception {
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
        v2.respond(r -> {
            String device = r.uri().substring(r.uri().lastIndexOf('/') + 1);
            int seq = new JsonObject(r.body()).getInteger("seq");
            if (seq == 0 && refusedOnce.add(device)) {
                return new TestBackend.Canned(429, "{\"error\":\"slow down\"}");  // each device's first copy: later
            }
            accepted.add(device + "#" + seq);
            return new TestBackend.Canned(200, r.body());
        });
        for (int seq = 0; seq < VERSIONS; seq++) {
            for (int d = 1; d <= DEVICES; d++) {
                assertThat(put("/api/devices/telemetry-gw-" + d, seq)).isEqualTo(200);
            }
        }
        assertThat(count("entity_key LIKE 'device:telemetry-gw-%' AND ordered")).as("device record writes, ordered")
                .isEqualTo(DEVICES * VERSIONS);

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            join(worker.drain());
            return count("state IN ('unconfirmed', 'pending')") == 0;
        });

        Map<String, List<String>> byDevice = accepted.stream().collect(Collectors.groupingBy(a -> a.split("#")[0]));
        assertThat(byDevice).hasSize(DEVICES);
        for (int d = 1; d <= DEVICES; d++) {
            String device = "telemetry-gw-" + d;
            assertThat(byDevice.get(device)).as("V2's versions of %s, in the order it took them", device)
                    .containsExactly(device + "#0", device + "#1", device + "#2");
        }
    }

    @Test
    void shouldDualWriteByTheRouteTableThePolicyDeclares() throws Exception {
        applyPolicy("v2Weight: 0\ndualWrite: true\nroutes:\n  - {path: '/api/users/{id}', name: users, entity: user}\n");
        double before = usersCounted();
        assertThat(put("/api/users/telemetry-1", 0)).isEqualTo(200);
        assertThat(put("/api/devices/d-1", 0)).isEqualTo(200);

        assertThat(count("entity_key = 'user:telemetry-1' AND ordered")).as("a user write, ordered per user").isEqualTo(1);
        assertThat(count("entity_key LIKE 'device:%'")).as("devices are not in this table: V1 alone").isZero();
        assertThat(usersCounted() - before).as("counted under the route's name").isEqualTo(1);
    }

    private double usersCounted() {
        return registry.find(MetricNames.REQUESTS).tag(MetricNames.TAG_ROUTE, "users").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private int put(String path, int seq) throws Exception {
        return http.send(HttpRequest.newBuilder(router.resolve(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(new JsonObject().put("name", "v" + seq).put("seq", seq).encode()))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
