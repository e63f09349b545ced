package io.cutover.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.routing.RouteTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ordering contract, from the default route table: which entity a write belongs to and whether it is ordered. */
class EntityKeysTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "-", value = {
            "PUT,    /api/devices/telemetry-gw-1,        -,    device:telemetry-gw-1, true",
            "DELETE, /api/devices/telemetry,             -,    device:telemetry,      true",
            "PATCH,  /api/devices/gw-1/telemetryx,       -,    device:gw-1,           true",
            "POST,   /api/devices/telemetry-gw-1/telemetry, -, device:telemetry-gw-1, false",
            "POST,   /api/devices,                       gw-9, device:gw-9,           true",
            "POST,   /api/devices,                       -,    tenant:acme,           true",
            "POST,   /api/telemetry,                     gw-9, tenant:acme,           false",
    })
    void shouldKeyEachWriteByTheEntityItsRouteDeclares(String method, String path, String bodyId, String entity,
                                                       boolean ordered) {
        EntityKeys.Key key = EntityKeys.of(RouteTable.REFERENCE.classify(method, path), "acme", bodyId);
        assertThat(key).isEqualTo(new EntityKeys.Key(entity, ordered));
    }
}
