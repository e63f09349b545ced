package io.cutover.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.cutover.testing.ProxyTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdminApiTest extends ProxyTestBase {

    private static final String TOKEN = "test-admin-token";     // application.yml, %test

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    @Test
    void shouldRefuseTheAdminApiWithoutAToken() {
        given().get("/admin/status").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error", containsString("missing bearer token"));
        given().contentType("application/json").body("{\"reason\":\"x\"}").post("/admin/rollback").then().statusCode(401);
        given().delete("/admin/rollback").then().statusCode(401);
        assertThat(latch.isLatched()).isFalse();
    }

    @Test
    void shouldRefuseTheAdminApiWithAWrongToken() {
        given().header("Authorization", "Bearer " + TOKEN + "x").get("/admin/status").then().statusCode(401)
                .body("error", equalTo("wrong bearer token"));
        given().header("Authorization", "Bearer " + TOKEN + "x").contentType("application/json")
                .body("{\"reason\":\"x\"}").post("/admin/rollback").then().statusCode(401);
        assertThat(latch.isLatched()).isFalse();
    }

    @Test
    void shouldAnswerTheStatusWithTheRightToken() {
        applyPolicy("v2Weight: 25\ntenants: {tenant-early: v2}\n");
        admin().get("/admin/status").then().statusCode(200)
                .body("effectiveV2Weight", equalTo(25.0f))
                .body("policy.v2Weight", equalTo(25.0f))
                .body("policy.pins.tenant-early", equalTo("v2"))
                .body("policy.version", notNullValue())
                .body("policy.source", containsString("policy.yaml"))
                .body("latch.state", equalTo("armed"))
                .body("breakers.v1", equalTo("closed"))
                .body("breakers.v2", equalTo("closed"))
                .body("guard.window.v2.requests", notNullValue())
                .body("outbox.available", equalTo(true))
                .body("outbox.database", equalTo("up"))
                .body("outbox.pending", equalTo(0));
    }

    @Test
    void shouldChangeRoutingWithPostThenDeleteOfTheRollback() {
        applyPolicy("v2Weight: 100\n");
        given().get("/api/devices").then().statusCode(200).header("X-Cutover-Backend", "v2");

        admin().contentType("application/json").body("{}").post("/admin/rollback").then().statusCode(400)
                .body("error", containsString("reason is required"));
        admin().contentType("application/json").body("{\"reason\":\"V2 writes time out\"}").post("/admin/rollback")
                .then().statusCode(200)
                .body("changed", equalTo(true))
                .body("latch.state", equalTo("latched"))
                .body("latch.reason", equalTo("V2 writes time out"))
                .body("latch.by", equalTo("operator@127.0.0.1"));
        given().get("/api/devices").then().statusCode(200).header("X-Cutover-Backend", "v1");
        admin().get("/admin/status").then().statusCode(200)
                .body("effectiveV2Weight", equalTo(0.0f))
                .body("latch.latched", equalTo(true))
                .body("latch.cause", equalTo("operator"))
                .body("latch.since", notNullValue());

        admin().contentType("application/json").body("{\"reason\":\"V2 fixed\"}").delete("/admin/rollback")
                .then().statusCode(200).body("changed", equalTo(true)).body("latch.state", equalTo("armed"));
        given().get("/api/devices").then().statusCode(200).header("X-Cutover-Backend", "v2");
        admin().delete("/admin/rollback").then().statusCode(200).body("changed", equalTo(false));
    }

    @Test
    void shouldDocumentTheAdminApiInOpenApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/admin/rollback'.post", notNullValue())
                .body("paths.'/admin/rollback'.delete", notNullValue())
                .body("paths.'/admin/status'.get", notNullValue())
                .body("components.securitySchemes.adminToken.scheme", equalTo("bearer"));
    }
}
