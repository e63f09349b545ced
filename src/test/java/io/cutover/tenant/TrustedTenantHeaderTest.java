package io.cutover.tenant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.testing.ProxyTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(TrustedTenantHeaderTest.Trusted.class)
class TrustedTenantHeaderTest extends ProxyTestBase {

    public static class Trusted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cutover.tenant.header-trusted", "true", "cutover.tenant.header", "X-Org");
        }
    }

    @Test
    void shouldPassTheGatewaysTenantHeaderToV2WhenTrusted() {
        applyPolicy("v2Weight: 100\n");
        given().header("X-Org", "acme").get("/api/devices").then().statusCode(200);
        given().get("/api/devices").then().statusCode(200);
        assertThat(v2.received()).extracting(r -> r.header("X-Org")).containsExactly("acme", "default_tenant_id");
    }

    @Test
    void shouldRouteByTheTrustedTenant() {
        applyPolicy("v2Weight: 0\ntenants: {acme: v2}\n");
        given().header("X-Org", "acme").get("/api/devices").then().header("X-Cutover-Backend", "v2");
        given().header("X-Org", "other").get("/api/devices").then().header("X-Cutover-Backend", "v1");
    }
}
