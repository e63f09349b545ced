package io.cutover.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.routing.RequestKind.IdFrom;
import io.cutover.routing.RequestKind.Route;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The default route table classifies by template, segment by segment: device ids that look like other routes stay devices. */
class RouteTableTest {

    private final RouteTable table = RouteTable.REFERENCE;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "-", value = {
            // method, path,                                 route tag,  entity id,      independent
            "PUT,    /api/devices/telemetry-gw-1,            devices,    telemetry-gw-1, false",
            "PUT,    /api/devices/telemetry,                 devices,    telemetry,      false",
            "PATCH,  /api/devices/devices,                   devices,    devices,        false",
            "DELETE, /api/devices/api,                       devices,    api,            false",
            "PUT,    /api/devices/x-telemetry/config,        devices,    x-telemetry,    false",
            "PUT,    /api/devices/gw-1/telemetryx,           devices,    gw-1,           false",
            "PUT,    /api/devices/gw-1/telemetry-config,     devices,    gw-1,           false",
            "PUT,    /api/devices/telemetry/devices,         devices,    telemetry,      false",
            "POST,   /api/devices/telemetry/telemetry,       telemetry,  telemetry,      true",
            "POST,   /api/devices/gw-1/telemetry,            telemetry,  gw-1,           true",
            "POST,   /api/devices/gw-1/telemetry/,           telemetry,  gw-1,           true",
            "POST,   /api/devices/gw-1/telemetry/batch,      telemetry,  gw-1,           true",
            "PUT,    /api/devices/telemetry-gw-1/,           devices,    telemetry-gw-1, false",
            "PUT,    /api/devices//telemetry-gw-1,           devices,    telemetry-gw-1, false",
            "PUT,    //api//devices///telemetry,             devices,    telemetry,      false",
            "POST,   /api/devices,                           devices,    -,              false",
            "POST,   /api/devices/,                          devices,    -,              false",
            "POST,   /api/telemetry,                         telemetry,  -,              true",
            "POST,   /api/telemetry/gw-1,                    telemetry,  -,              true",
            "GET,    /api/devices/telemetry-gw-1,            devices,    telemetry-gw-1, false",
    })
    void shouldClassifyByTemplateNeverBySubstring(String method, String path, String tag, String id, boolean independent) {
        RequestKind kind = table.classify(method, path);
        assertThat(kind.route().tag()).isEqualTo(tag);
        assertThat(kind.entityId()).isEqualTo(id);
        assertThat(kind.route().independent()).isEqualTo(independent);
        assertThat(kind.migrating()).isTrue();
        assertThat(kind.write()).isEqualTo(!method.equals("GET"));
    }

    @ParameterizedTest
    @CsvSource({"/api/devicesx", "/api/telemetryx", "/api/users/telemetry", "/api/users/1/telemetry", "/telemetry",
            "/api/alerts/devices", "/", "/api", "/administrators/42", "/api/device/telemetry-gw-1"})
    void shouldLeavePathsNoRouteMatchesToV1(String path) {
        RequestKind kind = table.classify("PUT", path);
        assertThat(kind.route()).isSameAs(Route.OTHER);
        assertThat(kind.migrating()).isFalse();
        assertThat(kind.entityId()).isNull();
    }

    @Test
    void shouldTakeTheIdOfACreateOnTheCollectionFromTheBody() {
        assertThat(table.classify("POST", "/api/devices").route().idFrom()).isEqualTo(IdFrom.BODY);
        assertThat(table.classify("PUT", "/api/devices/d-1").route().idFrom()).isEqualTo(IdFrom.PATH);
        assertThat(table.classify("POST", "/api/telemetry").route().idFrom()).isEqualTo(IdFrom.NONE);
    }

    @Test
    void shouldNameTheTemplateAPathMatchesOnlyWhenCaseIsIgnored() {
        assertThat(table.caseVariantOf("/API/devices")).isEqualTo("/api/devices");
        assertThat(table.caseVariantOf("/api/Devices/d-1")).isEqualTo("/api/devices/{id}");
        assertThat(table.caseVariantOf("/api/devices/D-1")).as("an id is not a literal: its case is its own").isNull();
        assertThat(table.caseVariantOf("/api/devices/d-1/TELEMETRY")).as("a device's sub-resource").isNull();
        assertThat(table.caseVariantOf("/api/users")).isNull();
    }

    @Test
    void shouldClassifyByADeclaredTableWithEntitiesOfItsOwn() {
        List<String> problems = new ArrayList<>();
        RouteTable users = RouteTable.compile(List.of(
                new RouteTable.Spec("/api/users", "users", "user", "body", false),
                new RouteTable.Spec("/api/tenants/{tenant}/users/{userId}", "users", "user", "{userId}", false),
                new RouteTable.Spec("/api/users/{id}/events", "events", "user", null, true)), "routes", problems);
        assertThat(problems).isEmpty();
        RequestKind kind = users.classify("PUT", "/api/tenants/acme/users/u-1");
        assertThat(kind.entityId()).isEqualTo("u-1");
        assertThat(kind.route()).isEqualTo(new Route("users", "user", IdFrom.PATH, false));
        assertThat(users.classify("POST", "/api/users/u-1/events").route().independent()).isTrue();
        assertThat(users.classify("PUT", "/api/devices/d-1").migrating()).as("not declared: not migrating").isFalse();
    }

    @Test
    void shouldKeepTheDeprecatedMigratingPathsWorking() {
        assertThat(RouteTable.fromMigratingPaths(List.of("/api/devices/", " /api/telemetry"))).isSameAs(RouteTable.REFERENCE);
        RouteTable devicesAndUsers = RouteTable.fromMigratingPaths(List.of("/api/devices", "/api/users"));
        assertThat(devicesAndUsers.classify("PUT", "/api/devices/telemetry-gw-1").route()).isEqualTo(Route.DEVICES);
        assertThat(devicesAndUsers.classify("POST", "/api/devices/d-1/telemetry").route()).isEqualTo(Route.TELEMETRY);
        assertThat(devicesAndUsers.classify("POST", "/api/telemetry").migrating()).isFalse();
        RequestKind user = devicesAndUsers.classify("PUT", "/api/users/u-1");
        assertThat(user.route()).isEqualTo(new Route("users", null, IdFrom.NONE, false));
        assertThat(devicesAndUsers.classify("PUT", "/api/usersx").migrating()).isFalse();
        assertThat(RouteTable.fromMigratingPaths(List.of("/")).classify("PUT", "/api/users/u-1").route().tag())
                .as("'/': everything migrates, ordered per tenant").isEqualTo("migrating");
        assertThatThrownBy(() -> RouteTable.fromMigratingPaths(List.of("/api", "/api/users")))
                .hasMessageContaining("cutover.proxy.migrating-paths[1].path: '/api/users/**' is never matched");
    }
}
