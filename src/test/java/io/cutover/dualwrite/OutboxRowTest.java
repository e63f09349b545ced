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

    private static OutboxRow row(String method, String uri, boolean pending, boolean viaPrimary) {
        return new OutboxRow(UUID.randomUUID(), 1, pending, Backend.V2, method, uri, "{}", null, "t", "k", "device:d-1", 0, 0,
                viaPrimary);
    }

    @org.junit.jupiter.api.Test
    void shouldCoalesceAReplacementOnlyIntoTheNextReplacementOfTheSameUriThatWillBeSent() {
        OutboxRow put = row("PUT", "/api/devices/d-1", true, false);
        java.util.function.BiPredicate<OutboxRow, OutboxRow> coalesced = (a, b) -> OutboxWorker.replacedNext(java.util.List.of(a, b), 0);

        assertThat(coalesced.test(put, row("PUT", "/api/devices/d-1", true, false))).isTrue();
        assertThat(coalesced.test(put, row("PATCH", "/api/devices/d-1", true, false))).as("a merge needs what it merges into").isFalse();
        assertThat(coalesced.test(put, row("PUT", "/api/devices/d-1/config", true, false))).as("another resource").isFalse();
        assertThat(coalesced.test(put, row("PUT", "/api/devices/d-1", false, false)))
                .as("its primary may still refuse the next one").isFalse();
        assertThat(coalesced.test(row("PUT", "/api/devices/d-1", true, true), row("PUT", "/api/devices/d-1", true, false)))
                .as("a row asked of its primary first").isFalse();
        assertThat(coalesced.test(row("PATCH", "/api/devices/d-1", true, false), put)).isFalse();
        assertThat(OutboxWorker.replacedNext(java.util.List.of(put), 0)).as("the last row of the run").isFalse();
    }
}
