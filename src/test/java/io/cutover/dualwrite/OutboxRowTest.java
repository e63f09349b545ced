package io.cutover.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.routing.Backend;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which outbox rows delete their entity's record itself (after which the record's pending readings are not sent). */
class OutboxRowTest {

    @ParameterizedTest(name = "{0} {1} under {2}: {3}")
    @CsvSource({
            "DELETE, /api/devices/d-1,              device:d-1,   true",
            "DELETE, /api/devices/d-1/,             device:d-1,   true",
            "DELETE, /api/devices/d-1?force=true,   device:d-1,   true",
            "DELETE, /api/devices/d-1/config,       device:d-1,   false",
            "DELETE, /api/devices/xd-1,             device:d-1,   false",
            "DELETE, /d-1,                          device:d-1,   true",
            "DELETE, d-1,                           device:d-1,   false",
            "PUT,    /api/devices/d-1,              device:d-1,   false",
            "DELETE, /api/things/t1,                tenant:t1,    false",
            "DELETE, /api/devices/d-1,              device,       false",
    })
    void shouldTellARecordsOwnDeleteFromItsSubResources(String method, String uri, String entity, boolean expected) {
        OutboxRow row = new OutboxRow(UUID.randomUUID(), 1, true, Backend.V2, method, uri, "{}", null, "t", "k", entity, 0, 0, false);

        assertThat(row.deletesRecord()).isEqualTo(expected);
    }
}
