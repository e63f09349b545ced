package io.cutover.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.routing.RequestKind.IdFrom;
import io.cutover.routing.RequestKind.Route;
import io.cutover.routing.RouteTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The policy's route table: read, compiled once, and a bad one refused with a message that says what was expected. */
class RoutesPolicyTest {

    private final PolicyParser parser = new PolicyParser();

    @Test
    void shouldLeaveTheRoutesToTheRoutersDefaultWhenThePolicyDeclaresNone() throws Exception {
        assertThat(parser.parse("v2Weight: 5\n", "test").routes()).isNull();
    }

    @Test
    void shouldDocumentTheDefaultTableAsTheRouterHasIt() throws Exception {
        String page = java.nio.file.Files.readString(java.nio.file.Path.of("docs/policy.md"));
        java.util.regex.Matcher block = java.util.regex.Pattern.compile("(?s)```yaml\\n(routes:\\n.*?)```").matcher(page);
        assertThat(block.find()).as("the default route table in docs/policy.md").isTrue();
        assertThat(parser.parse(block.group(1), "docs/policy.md").routes().specs())
                .containsExactlyElementsOf(RouteTable.REFERENCE_SPECS);
    }

    @Test
    void shouldCompileADeclaredTable() throws Exception {
        TrafficPolicy p = parser.parse("""
                routes:
                  - {path: /api/devices, name: devices, entity: device, id: body}
                  - {path: '/api/devices/{id}', name: devices, entity: device}
                  - {path: '/api/devices/{id}/telemetry', name: telemetry, entity: device, independent: true}
                  - path: '/api/sites/{site}/devices/{device}'
                    name: site-devices
                    entity: device
                    id: '{device}'
                """, "test");
        assertThat(p.routes().classify("PUT", "/api/devices/telemetry-gw-1").route())
                .isEqualTo(new Route("devices", "device", IdFrom.PATH, false));
        assertThat(p.routes().classify("PUT", "/api/sites/s-1/devices/gw-1").entityId()).isEqualTo("gw-1");
        assertThat(p.routes().classify("POST", "/api/telemetry").migrating()).as("not declared").isFalse();
        assertThat(parser.parse("routes: []\n", "test").routes().classify("PUT", "/api/devices/d-1").migrating())
                .as("an empty table: nothing migrates").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "routes: /api/devices | routes: '/api/devices' (expected: a list of routes",
            "routes: [{path: api/devices, name: devices}] | routes[0].path: 'api/devices' (expected: a path template starting with '/'",
            "routes: [{name: devices}] | routes[0].path: missing",
            "routes: [{path: '/api/**/x', name: any}] | routes[0].path: '/api/**/x' has segments after '**'",
            "routes: [{path: '/api/devices/', name: devices}] | routes[0].path: '/api/devices/' has the segment '' (expected",
            "routes: [{path: '/api/{id}/{id}', name: x}] | names {id} twice",
            "routes: [{path: '/api/dev*ces', name: x}] | has the segment 'dev*ces'",
            "routes: [{path: /api/devices}] | routes[0].name: missing (expected: the route's name",
            "routes: [{path: /api/devices, name: other}] | routes[0].name: 'other'",
            "routes: [{path: /api/devices, name: devices, entity: device}] | routes[0].id: missing (expected: 'body'",
            "routes: [{path: '/api/devices/{id}', name: devices, entity: device, id: '{deviceId}'}] | routes[0].id: '{deviceId}' (expected: one of the path's variables ['{id}']",
            "routes: [{path: '/api/devices/{id}', name: devices, entity: device, id: {id}}] | routes[0].id: a mapping (expected: a string; quote a variable in YAML: '{id}')",
            "routes: [{path: '/api/{site}/{id}', name: devices, entity: device}] | routes[0].id: missing (expected: one of the path's variables ['{site}', '{id}']",
            "routes: [{path: /api/devices, name: devices, id: body}] | routes[0].id: 'body' (expected: no id without an entity",
            "routes: [{path: /api/devices, name: devices, entity: tenant, id: body}] | routes[0].entity: 'tenant'",
            "routes: [{path: /api/devices, name: devices, independent: yes please}] | routes[0].independent: 'yes please' (expected: true or false)",
            "routes: [{paht: /api/devices, name: devices}] | routes[0].paht: unknown key (expected one of [entity, id, independent, name, path])",
            "routes: [/api/devices] | routes[0]: '/api/devices' (expected: a mapping with [entity, id, independent, name, path])",
    })
    void shouldRefuseABadTableSayingWhatWasExpected(String yaml, String message) {
        assertThatThrownBy(() -> parser.parse(yaml + "\n", "policy.yaml"))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageStartingWith("invalid traffic policy policy.yaml: ")
                .hasMessageContaining(message);
    }

    @Test
    void shouldRefuseARouteThatAnEarlierOneAlwaysMatchesFirst() {
        assertThatThrownBy(() -> parser.parse("""
                routes:
                  - {path: '/api/devices/{id}/**', name: devices, entity: device}
                  - {path: '/api/devices/{id}/telemetry', name: telemetry, entity: device, independent: true}
                """, "policy.yaml"))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("routes[1].path: '/api/devices/{id}/telemetry' is never matched: routes[0]"
                        + " '/api/devices/{id}/**' comes first and matches every path it does"
                        + " (expected: the more specific route before the more general one)");
        assertThatThrownBy(() -> parser.parse("""
                routes:
                  - {path: '/api/devices/{id}', name: devices, entity: device}
                  - {path: '/api/devices/{deviceId}', name: devices, entity: device}
                """, "policy.yaml")).hasMessageContaining("routes[1].path: '/api/devices/{deviceId}' is never matched");
    }

    @Test
    void shouldReportEveryBadRouteAtOnceWithTheRestOfThePolicy() {
        assertThatThrownBy(() -> parser.parse("v2Weight: 150\nroutes: [{path: x, name: a}, {path: /y}]\n", "policy.yaml"))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> assertThat(e.problems()).hasSize(3));
    }
}
