package io.cutover.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.routing.StickyBuckets;
import io.cutover.testing.ProxyTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RoutingTest extends ProxyTestBase {

    private static Response get(String path, String apiKeyTenant) {
        return given().header("X-Api-Key", apiKeyTenant).get(path);
    }

    @Test
    void shouldSendEachTenantToTheSideItsBucketSaysAndKeepItThere() {
        applyPolicy("v2Weight: 50\n");
        for (int i = 0; i < 60; i++) {
            String tenant = "tenant-" + i;
            String expected = StickyBuckets.bucket("cutover", tenant) < 5000 ? "v2" : "v1";
            for (int repeat = 0; repeat < 3; repeat++) {
                given().header("X-Api-Key", "key-" + tenant).get("/api/devices/d-" + repeat)
                        .then().statusCode(200);
            }
            String write = given().header("X-Api-Key", "key-" + tenant).contentType("application/json")
                    .body("{\"name\":\"n\",\"type\":\"thermo\"}").post("/api/devices")
                    .then().statusCode(201).extract().header(ResponseRelay.BACKEND_HEADER);
            assertThat(write).as("write of %s", tenant).isEqualTo(expected);
            long reads = (expected.equals("v2") ? v2 : v1).received().stream()
                    .filter(r -> r.uri().startsWith("/api/devices/d-") && tenant.equals(tenantOf(r))).count();
            assertThat(reads).as("reads of %s on %s", tenant, expected).isEqualTo(3);
        }
    }

    private static String tenantOf(io.cutover.testing.TestBackend.Received r) {
        String key = r.header("X-Api-Key");
        return key == null ? null : key.substring("key-".length());
    }

    @Test
    void shouldLetAPinWinOverTheWeight() {
        applyPolicy("v2Weight: 100\ntenants:\n  tenant-held: v1\n  tenant-early: v2\n");
        get("/api/devices", "key-tenant-held").then().statusCode(200).header(ResponseRelay.BACKEND_HEADER, "v1");
        get("/api/devices", "key-tenant-other").then().statusCode(200).header(ResponseRelay.BACKEND_HEADER, "v2");
        applyPolicy("v2Weight: 0\ntenants:\n  tenant-early: v2\n");
        get("/api/devices", "key-tenant-early").then().statusCode(200).header(ResponseRelay.BACKEND_HEADER, "v2");
        get("/api/devices", "key-tenant-other").then().statusCode(200).header(ResponseRelay.BACKEND_HEADER, "v1");
    }

    @Test
    void shouldSendPathsThatDoNotMigrateToV1Only() {
        applyPolicy("v2Weight: 100\ntenants: {tenant-early: v2}\n");
        get("/api/users/u-1", "key-tenant-early").then().statusCode(200).header(ResponseRelay.BACKEND_HEADER, "v1");
        given().post("/api/alerts").then().statusCode(200).header(ResponseRelay.BACKEND_HEADER, "v1");
        assertThat(v2.received()).isEmpty();
    }

    @Test
    void shouldPassMethodPathQueryAndBodyThroughUnchanged() {
        applyPolicy("v2Weight: 100\n");
        given().urlEncodingEnabled(false).contentType("application/json").body("{\"name\":\"x\"}")
                .patch("/api/devices/d%201?limit=5&after=a%20b")
                .then().statusCode(200);
        var r = v2.received().stream().filter(x -> x.method().equals("PATCH")).findFirst().orElseThrow();
        assertThat(r.method()).isEqualTo("PATCH");
        assertThat(r.uri()).isEqualTo("/api/devices/d%201?limit=5&after=a%20b");
        assertThat(r.body()).isEqualTo("{\"name\":\"x\"}");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
    }
}
