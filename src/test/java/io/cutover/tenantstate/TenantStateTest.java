package io.cutover.tenantstate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.cutover.database.RouterDatabase;
import io.cutover.routing.TenantPhases.Phase;
import io.cutover.testing.ProxyTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-tenant migration state through the admin API, against the real router database, with real requests through
 * the router to the two test backends. Tenants {@code tenant-9xx} belong to this class (API keys key-tenant-9xx).
 * The router re-reads the states once an hour here ({@link NotifyOnly}): whatever it learns of a row written
 * behind its back, it learns by {@code NOTIFY cutover_tenants}.
 */
@QuarkusTest
@TestProfile(TenantStateTest.NotifyOnly.class)
class TenantStateTest extends ProxyTestBase {

    /** The poll out of reach of every wait in this class (at most 5 s). */
    public static class NotifyOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cutover.tenant-state.poll-interval", "1h");
        }
    }

    private static final String TOKEN = "test-admin-token";     // application.yml, %test
    private static final String BACKEND_HEADER = "X-Cutover-Backend";

    @Inject
    RouterDatabase database;

    @Inject
    TenantStates states;

    @BeforeEach
    void noGlobalRunsOfOtherClasses() throws Exception {
        // from here on only a NOTIFY can tell this replica of a row written behind its back
        await().atMost(Duration.ofSeconds(5)).until(states::listening);
        // the gate falls back on the last verify over every tenant: these tests decide what it is
        sql("DELETE FROM cutover_migration_runs WHERE tenant IS NULL");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> states.snapshot().global() == null);
    }

    @AfterEach
    void forgetTheTenantsOfThisClass() throws Exception {
        sql("DELETE FROM cutover_tenant_state WHERE tenant LIKE 'tenant-9%'");
        sql("DELETE FROM cutover_tenant_transitions WHERE tenant LIKE 'tenant-9%'");
        sql("DELETE FROM cutover_migration_runs WHERE tenant LIKE 'tenant-9%'");
        await().atMost(Duration.ofSeconds(5)).until(() -> states.list().stream().noneMatch(t -> t.tenant().startsWith("tenant-9"))
                && policies.current().refusedPins().isEmpty());
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    private static ValidatableResponse move(String tenant, String state, boolean force) {
        return admin().contentType("application/json")
                .body("{\"state\": \"" + state + "\", \"reason\": \"step to " + state + "\", \"force\": " + force + "}")
                .post("/admin/tenants/" + tenant + "/state").then();
    }

    /** Moves a tenant forward step by step up to {@code state}, forcing past the verification gate. */
    private static void forceUpTo(String tenant, String state) {
        for (String s : List.of("backfilled", "verified", "reads-on-v2", "writes-on-v2")) {
            move(tenant, s, true).statusCode(200);
            if (s.equals(state)) {
                return;
            }
        }
    }

    /** Records a verify run as the verify job does with --record-url (and --tenant when tenant is not null). */
    private void verifyRun(String tenant, int differences) throws Exception {
        database.pool().preparedQuery("INSERT INTO cutover_migration_runs (job, started_at, finished_at, exit_code, summary, tenant)"
                        + " VALUES ('verify', clock_timestamp(), clock_timestamp(), $1, $2, $3)")
                .execute(Tuple.of(differences == 0 ? 0 : 1,
                        new io.vertx.core.json.JsonObject().put("equal", differences == 0).put("differences", differences),
                        tenant))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        // the run reaches this replica's copy by NOTIFY cutover_tenants (the table's trigger)
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            LastVerify v = states.snapshot().lastVerify(tenant);
            return v != null && v.differences() == differences;
        });
    }

    private void sql(String statement) throws Exception {
        database.pool().query(statement).execute().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String backendOf(String method, String tenant) {
        RequestSpecification r = given().header("X-Api-Key", "key-" + tenant);
        return (method.equals("GET") ? r.get("/api/devices/d-1")
                : r.contentType("application/json").body("{\"name\":\"n\",\"type\":\"thermo\"}").post("/api/devices"))
                .then().statusCode(method.equals("GET") ? 200 : 201).extract().header(BACKEND_HEADER);
    }

    @Test
    void shouldMoveATenantThroughEveryStateThenRollItBack() throws Exception {
        admin().get("/admin/tenants/tenant-901").then().statusCode(200)
                .body("tenant.state", equalTo("dual-write"))
                .body("tenant.since", nullValue())
                .body("history", hasSize(0));

        move("tenant-901", "dual-write", false).statusCode(200).body("tenant.state", equalTo("dual-write"));
        move("tenant-901", "backfilled", false).statusCode(200)
                .body("changed", equalTo(true))
                .body("forced", equalTo(false))
                .body("tenant.state", equalTo("backfilled"))
                .body("tenant.by", equalTo("operator@127.0.0.1"))
                .body("tenant.allowedNext", equalTo(List.of("verified", "dual-write")));
        verifyRun("tenant-901", 0);
        move("tenant-901", "verified", false).statusCode(200).body("tenant.lastVerify.equal", equalTo(true));
        move("tenant-901", "reads-on-v2", false).statusCode(200);
        move("tenant-901", "writes-on-v2", false).statusCode(200).body("tenant.allowedNext",
                equalTo(List.of("dual-write", "backfilled", "verified", "reads-on-v2")));
        move("tenant-901", "dual-write", false).statusCode(200).body("tenant.state", equalTo("dual-write"));

        admin().get("/admin/tenants/tenant-901").then().statusCode(200)
                .body("tenant.state", equalTo("dual-write"))
                .body("tenant.reason", equalTo("step to dual-write"))
                .body("history", hasSize(6))
                .body("history[0].from", equalTo("writes-on-v2"))
                .body("history[0].to", equalTo("dual-write"))
                .body("history[5].from", nullValue())
                .body("history[5].to", equalTo("dual-write"))
                .body("history.forced", equalTo(List.of(false, false, false, false, false, false)))
                .body("history[2].verifyRun", notNullValue());
        admin().get("/admin/tenants").then().statusCode(200).body("tenant", hasItem("tenant-901"));
    }

    @Test
    void shouldShowTheTenantsInTheStatus() throws Exception {
        move("tenant-902", "backfilled", false).statusCode(200);
        verifyRun("tenant-902", 3);
        admin().get("/admin/status").then().statusCode(200)
                .body("tenants.find { it.tenant == 'tenant-902' }.state", equalTo("backfilled"))
                .body("tenants.find { it.tenant == 'tenant-902' }.since", notNullValue())
                .body("tenants.find { it.tenant == 'tenant-902' }.by", equalTo("operator@127.0.0.1"))
                .body("tenants.find { it.tenant == 'tenant-902' }.reason", equalTo("step to backfilled"))
                .body("tenants.find { it.tenant == 'tenant-902' }.lastVerify.equal", equalTo(false))
                .body("tenants.find { it.tenant == 'tenant-902' }.lastVerify.differences", equalTo(3))
                .body("tenants.find { it.tenant == 'tenant-902' }.lastVerify.tenant", equalTo("tenant-902"));
    }

    @Test
    void shouldRefuseAMoveThatIsNotAnAllowedNextStateWith409() {
        move("tenant-903", "verified", true).statusCode(409)
                .body("error", containsString("tenant tenant-903 is in dual-write"))
                .body("error", containsString("cannot move to verified"))
                .body("error", containsString("allowed next states: backfilled"))
                .body("tenant.state", equalTo("dual-write"));
        move("tenant-903", "backfilled", false).statusCode(200);
        move("tenant-903", "backfilled", false).statusCode(409)
                .body("error", containsString("allowed next states: verified, dual-write"));
        move("tenant-903", "writes-on-v2", true).statusCode(409);

        admin().contentType("application/json").body("{\"state\": \"on-v3\", \"reason\": \"x\"}")
                .post("/admin/tenants/tenant-903/state").then().statusCode(400)
                .body("error", containsString("state: 'on-v3' (expected one of dual-write, backfilled, verified,"
                        + " reads-on-v2, writes-on-v2)"));
        admin().contentType("application/json").body("{\"state\": \"verified\"}")
                .post("/admin/tenants/tenant-903/state").then().statusCode(400)
                .body("error", containsString("reason is required"));
        given().contentType("application/json").body("{\"state\": \"dual-write\", \"reason\": \"x\"}")
                .post("/admin/tenants/tenant-903/state").then().statusCode(401);
        admin().get("/admin/tenants/tenant-903").then().body("history", hasSize(1));
    }

    @Test
    void shouldRefuseReadsOnV2AfterAVerifyWithDifferencesUnlessForced() throws Exception {
        move("tenant-904", "backfilled", false).statusCode(200);
        move("tenant-904", "verified", false).statusCode(409)
                .body("error", containsString("no verify run is recorded for tenant tenant-904"));
        verifyRun("tenant-904", 0);
        move("tenant-904", "verified", false).statusCode(200);
        verifyRun("tenant-904", 5);

        move("tenant-904", "reads-on-v2", false).statusCode(409)
                .body("error", containsString("moving to reads-on-v2 needs a last verify without differences"))
                .body("error", containsString("found 5 differing rows"))
                .body("error", containsString("\"force\": true"))
                .body("tenant.state", equalTo("verified"));
        assertThat(backendOf("GET", "tenant-904")).isEqualTo("v1");

        move("tenant-904", "reads-on-v2", true).statusCode(200)
                .body("forced", equalTo(true))
                .body("overridden", containsString("found 5 differing rows"))
                .body("tenant.state", equalTo("reads-on-v2"))
                .body("tenant.forced", equalTo(true));
        admin().get("/admin/tenants/tenant-904").then().statusCode(200)
                .body("history[0].to", equalTo("reads-on-v2"))
                .body("history[0].forced", equalTo(true))
                .body("history[1].to", equalTo("verified"))
                .body("history[1].forced", equalTo(false));
        admin().get("/admin/status").then()
                .body("tenants.find { it.tenant == 'tenant-904' }.state", equalTo("reads-on-v2"));
        assertThat(backendOf("GET", "tenant-904")).isEqualTo("v2");
    }

    @Test
    void shouldRouteReadsToV2AndWritesToV1WhileReadsAreOnV2() {
        forceUpTo("tenant-905", "reads-on-v2");
        assertThat(backendOf("GET", "tenant-905")).isEqualTo("v2");
        assertThat(backendOf("POST", "tenant-905")).isEqualTo("v1");
        assertThat(backendOf("GET", "tenant-906")).as("another tenant follows the weight (0)").isEqualTo("v1");
        given().header("X-Api-Key", "key-tenant-905").get("/api/users/u-1").then().statusCode(200)
                .header(BACKEND_HEADER, "v1");
    }

    @Test
    void shouldRouteReadsAndWritesToV2OnceWritesAreOnV2EvenAgainstTheWeightAndAPin() {
        applyPolicy("v2Weight: 0\ntenants: {tenant-907: v1}\n");
        forceUpTo("tenant-907", "writes-on-v2");
        assertThat(backendOf("GET", "tenant-907")).isEqualTo("v2");
        assertThat(backendOf("POST", "tenant-907")).isEqualTo("v2");

        move("tenant-907", "verified", false).statusCode(200);      // a rollback of the tenant is never gated
        assertThat(backendOf("GET", "tenant-907")).as("back to the policy: its pin").isEqualTo("v1");
    }

    @Test
    void shouldSendEverythingToV1WhileTheRollbackIsLatchedWhateverTheTenantState() {
        forceUpTo("tenant-908", "writes-on-v2");
        latch.latchByHand("test", "test", null);
        assertThat(backendOf("GET", "tenant-908")).isEqualTo("v1");
        assertThat(backendOf("POST", "tenant-908")).isEqualTo("v1");
    }

    @Test
    void shouldKeepTheStateInTheDatabaseForTheNextStartAndForOtherReplicas() throws Exception {
        forceUpTo("tenant-909", "reads-on-v2");

        // what a restarted replica reads at start: a second store on the same database
        TenantSnapshot read = new TenantStateStore(database.pool()).load().toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(read.states().get("tenant-909").state()).isEqualTo(MigrationState.READS_ON_V2);
        assertThat(read.states().get("tenant-909").forced()).isTrue();
        assertThat(read.phase("tenant-909")).isEqualTo(Phase.READS_ON_V2);

        // another replica's move (a row written behind this one's back) arrives by NOTIFY
        sql("UPDATE cutover_tenant_state SET state = 'writes-on-v2' WHERE tenant = 'tenant-909'");
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> states.phase("tenant-909") == Phase.WRITES_ON_V2);
        assertThat(backendOf("POST", "tenant-909")).isEqualTo("v2");
    }

    @Test
    void shouldRefuseAPolicyPinToV2OfATenantWhoseLastVerifyFoundDifferencesUnlessForced() throws Exception {
        verifyRun("tenant-910", 2);
        applyPolicy("v2Weight: 0\ntenants: {tenant-910: v2, tenant-911: v2}\n");
        assertThat(backendOf("GET", "tenant-910")).as("refused pin: follows the weight").isEqualTo("v1");
        assertThat(backendOf("GET", "tenant-911")).as("no verify of its own, the global one is not failing").isEqualTo("v2");
        admin().get("/admin/status").then().statusCode(200)
                .body("policy.pins.'tenant-911'", equalTo("v2"))
                .body("policy.pins.'tenant-910'", nullValue())
                .body("policy.refusedPins.'tenant-910'", containsString("found 2 differing rows"));
        assertThat(given().get("/q/metrics").then().extract().asString())
                .contains("cutover_policy_pins_refused 1.0");

        applyPolicy("v2Weight: 0\ntenants:\n  tenant-910: {backend: v2, force: true}\n");
        assertThat(backendOf("GET", "tenant-910")).as("forced pin").isEqualTo("v2");
        admin().get("/admin/status").then().body("policy.refusedPins.size()", equalTo(0));

        // a refused pin is applied once a new verify finds the tenant equal
        applyPolicy("v2Weight: 0\ntenants: {tenant-910: v2}\n");
        assertThat(backendOf("GET", "tenant-910")).isEqualTo("v1");
        verifyRun("tenant-910", 0);
        await().atMost(Duration.ofSeconds(2)).until(() -> policies.current().refusedPins().isEmpty());
        assertThat(backendOf("GET", "tenant-910")).isEqualTo("v2");
    }
}
