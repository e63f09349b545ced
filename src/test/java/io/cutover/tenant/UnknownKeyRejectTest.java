package io.cutover.tenant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.cutover.testing.ProxyTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code cutover.tenant.unknown-key=reject}: no key or an unknown key is a 401 that no backend sees. */
@QuarkusTest
@TestProfile(UnknownKeyRejectTest.Reject.class)
class UnknownKeyRejectTest extends ProxyTestBase {

    public static class Reject implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cutover.tenant.unknown-key", "reject");
        }
    }

    @Test
    void shouldAnswer401WithoutAKeyOrWithAnUnknownOne() {
        given().get("/api/devices").then().statusCode(401).header("WWW-Authenticate", containsString("X-Api-Key"))
                .body("error", containsString("cutover.tenant.unknown-key"));
        given().header("X-Api-Key", "not-a-key").contentType("application/json").body("{}")
                .post("/api/devices").then().statusCode(401);
        given().header("X-Tenant-Id", "acme").get("/api/devices").then().statusCode(401);
        assertThat(v1.received()).isEmpty();
        assertThat(v2.received()).isEmpty();
    }

    @Test
    void shouldServeAKnownKeyAsItsTenant() {
        applyPolicy("v2Weight: 100\n");
        given().header("X-Api-Key", "key-tenant-acme").get("/api/devices").then().statusCode(200);
        assertThat(v2.received()).singleElement().satisfies(r -> assertThat(r.header("X-Tenant-Id")).isEqualTo("tenant-acme"));
    }

    @Test
    void shouldStillServeTheRoutersOwnPaths() {
        given().get("/q/health/live").then().statusCode(200);
    }
}
