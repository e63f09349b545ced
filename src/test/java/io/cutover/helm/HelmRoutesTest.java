package io.cutover.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.policy.PolicyParser;
import io.cutover.policy.TrafficPolicy;
import org.junit.jupiter.api.Test;

/** The chart's {@code traffic.routes}: rendered into the policy when set, left to the router's default when empty. */
class HelmRoutesTest {

    @Test
    void shouldLeaveTheRoutesToTheRoutersDefaultTableByDefault() throws Exception {
        assertThat(HelmChartTest.renderedPolicyYaml()).doesNotContain("routes");
        assertThat(new PolicyParser().parse(HelmChartTest.renderedPolicyYaml(), "default values").routes()).isNull();
    }

    @Test
    void shouldRenderADeclaredRouteTableTheRouterAccepts() throws Exception {
        TrafficPolicy p = new PolicyParser().parse(HelmChartTest.renderedPolicyYaml(
                "traffic.routes[0].path=/api/users", "traffic.routes[0].name=users", "traffic.routes[0].entity=user",
                "traffic.routes[0].id=body",
                "traffic.routes[1].path=/api/users/{id}", "traffic.routes[1].name=users", "traffic.routes[1].entity=user"),
                "routes values");
        assertThat(p.routes().classify("PUT", "/api/users/telemetry-1").entityId()).isEqualTo("telemetry-1");
        assertThat(p.routes().classify("POST", "/api/users").route().tag()).isEqualTo("users");
    }

    @Test
    void shouldRefuseARouteTheSchemaDoesNotKnow() {
        assertThatThrownBy(() -> HelmChartTest.render("traffic.routes[0].path=/api/users", "traffic.routes[0].name=users",
                "traffic.routes[0].paht=/x")).hasMessageContaining("paht");
        assertThatThrownBy(() -> HelmChartTest.render("traffic.routes[0].path=/api/users", "traffic.routes[0].name=other"))
                .hasMessageContaining("name");
    }
}
