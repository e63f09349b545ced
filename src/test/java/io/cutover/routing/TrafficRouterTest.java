package io.cutover.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.policy.PolicyParser;
import io.cutover.policy.TrafficPolicy;
import io.cutover.routing.RequestKind.Route;
import io.cutover.routing.RoutingDecision.Reason;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TrafficRouterTest {

    private final AtomicBoolean latched = new AtomicBoolean();
    private final TrafficRouter router = new TrafficRouter(latched::get);
    private final RequestClassifier classifier = new RequestClassifier(java.util.List.of("/api/devices", "/api/telemetry"));

    private static TrafficPolicy policy(String yaml) throws Exception {
        return new PolicyParser().parse(yaml, "test");
    }

    @Test
    void shouldLetPinsWinOverTheWeight() throws Exception {
        TrafficPolicy p = policy("v2Weight: 100\ntenants: {fragile: v1, beta: v2}\n");
        assertThat(router.decide(p, classifier.classify("GET", "/api/devices"), "fragile", h -> null))
                .isEqualTo(new RoutingDecision(Backend.V1, Reason.PIN));
        TrafficPolicy zero = policy("v2Weight: 0\ntenants: {beta: v2}\n");
        assertThat(router.decide(zero, classifier.classify("POST", "/api/devices"), "beta", h -> null))
                .isEqualTo(new RoutingDecision(Backend.V2, Reason.PIN));
    }

    @Test
    void shouldRouteByTheTenantsMigrationStateBeforePinsAndWeight() throws Exception {
        TrafficRouter byState = new TrafficRouter(latched::get, tenant -> switch (tenant) {
            case "reader" -> TenantPhases.Phase.READS_ON_V2;
            case "writer" -> TenantPhases.Phase.WRITES_ON_V2;
            default -> TenantPhases.Phase.FOLLOW_POLICY;
        });
        TrafficPolicy p = policy("v2Weight: 0\ntenants: {writer: v1, reader: v1}\n");
        RoutingDecision v2 = new RoutingDecision(Backend.V2, Reason.TENANT_STATE);
        RoutingDecision v1 = new RoutingDecision(Backend.V1, Reason.TENANT_STATE);
        assertThat(byState.decide(p, classifier.classify("GET", "/api/devices/d1"), "reader", h -> null)).isEqualTo(v2);
        assertThat(byState.decide(p, classifier.classify("POST", "/api/devices"), "reader", h -> null)).isEqualTo(v1);
        assertThat(byState.decide(p, classifier.classify("POST", "/api/telemetry"), "writer", h -> null)).isEqualTo(v2);
        assertThat(byState.decide(p, classifier.classify("GET", "/api/devices"), "other", h -> null).reason())
                .isEqualTo(Reason.WEIGHT);
        assertThat(byState.decide(p, classifier.classify("GET", "/api/users"), "writer", h -> null).reason())
                .isEqualTo(Reason.NOT_MIGRATING);
        latched.set(true);
        assertThat(byState.decide(p, classifier.classify("POST", "/api/devices"), "writer", h -> null))
                .isEqualTo(new RoutingDecision(Backend.V1, Reason.ROLLBACK));
    }

    @Test
    void shouldSendEverythingToV1WhileTheRollbackIsLatchedPinsIncluded() throws Exception {
        TrafficPolicy p = policy("v2Weight: 100\ntenants: {beta: v2}\n");
        latched.set(true);
        assertThat(router.decide(p, classifier.classify("GET", "/api/devices/d1"), "beta", h -> null))
                .isEqualTo(new RoutingDecision(Backend.V1, Reason.ROLLBACK));
        assertThat(router.decide(p, classifier.classify("GET", "/api/devices/d1"), "anyone", h -> null).backend())
                .isEqualTo(Backend.V1);
    }

    @Test
    void shouldSendPathsThatDoNotMigrateToV1Alone() throws Exception {
        TrafficPolicy p = policy("v2Weight: 100\ntenants: {beta: v2}\n");
        for (String path : new String[] {"/api/users", "/api/alerts/1", "/health", "/api/devicesx", "/"}) {
            assertThat(router.decide(p, classifier.classify("GET", path), "beta", h -> null))
                    .as(path).isEqualTo(new RoutingDecision(Backend.V1, Reason.NOT_MIGRATING));
        }
    }

    @Test
    void shouldStickByDeviceAndFallBackToTheTenantWithoutOne() throws Exception {
        TrafficPolicy p = policy("v2Weight: 50\nstickyBy: device\n");
        int sameAsTenant = 0;
        for (int i = 0; i < 200; i++) {
            String device = "dev-" + i;
            RequestKind kind = classifier.classify("GET", "/api/devices/" + device + "/telemetry");
            assertThat(kind.entityId()).isEqualTo(device);
            Backend expected = StickyBuckets.bucket("cutover", device) < p.v2Buckets() ? Backend.V2 : Backend.V1;
            assertThat(router.decide(p, kind, "t", h -> null).backend()).isEqualTo(expected);
        }
        RequestKind create = classifier.classify("POST", "/api/devices");
        Backend byTenant = StickyBuckets.bucket("cutover", "t-9") < p.v2Buckets() ? Backend.V2 : Backend.V1;
        assertThat(router.decide(p, create, "t-9", h -> null).backend()).isEqualTo(byTenant);
    }

    @Test
    void shouldStickByAHeaderAndFallBackToTheTenantWithoutIt() throws Exception {
        TrafficPolicy p = policy("v2Weight: 50\nstickyBy: header:X-User\n");
        RequestKind kind = classifier.classify("GET", "/api/devices");
        for (int i = 0; i < 200; i++) {
            String user = "user-" + i;
            Backend expected = StickyBuckets.bucket("cutover", user) < p.v2Buckets() ? Backend.V2 : Backend.V1;
            assertThat(router.decide(p, kind, "t", Map.of("X-User", user)::get).backend()).isEqualTo(expected);
        }
    }

    @Test
    void shouldSpreadRandomStickinessByTheWeight() throws Exception {
        TrafficPolicy p = policy("v2Weight: 30\nstickyBy: random\n");
        RequestKind kind = classifier.classify("GET", "/api/devices");
        int v2 = 0;
        for (int i = 0; i < 20_000; i++) {
            if (router.decide(p, kind, "same-tenant", h -> null).backend() == Backend.V2) {
                v2++;
            }
        }
        assertThat(v2 / 200.0).isBetween(28.0, 32.0);
    }
}
