package io.cutover.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the secondary receives of the fields the primary assigned (cutover.outbox.primary-fields). */
class PrimaryFieldsTest {

    private final PrimaryFields defaults = new PrimaryFields(List.of(OutboxConfig.DEFAULT_PRIMARY_FIELDS.split(",")));

    private static Buffer json(String s) {
        return Buffer.buffer(s);
    }

    @Test
    void shouldCarryTheCreatedIdAndTimesOfACreateIntoTheSecondarysBody() {
        Buffer out = defaults.carried("POST", json("{\"name\":\"n\"}"),
                json("{\"id\":\"dev-1\",\"name\":\"n\",\"createdAt\":\"2026-01-01T00:00:00.123456Z\",\"updatedAt\":\"2026-01-01T00:00:00.123456Z\",\"status\":\"OFFLINE\"}"));
        assertThat(new JsonObject(out)).isEqualTo(new JsonObject()
                .put("name", "n").put("id", "dev-1")
                .put("createdAt", "2026-01-01T00:00:00.123456Z").put("updatedAt", "2026-01-01T00:00:00.123456Z"));
    }

    @Test
    void shouldCarryTheUpdateTimeOfAReplaceButNotReplaceItsId() {
        Buffer out = defaults.carried("PUT", json("{\"name\":\"n\"}"),
                json("{\"id\":\"dev-1\",\"name\":\"n\",\"updatedAt\":\"2026-01-02T00:00:00Z\"}"));
        assertThat(new JsonObject(out)).isEqualTo(new JsonObject().put("name", "n").put("updatedAt", "2026-01-02T00:00:00Z"));
    }

    @Test
    void shouldSendTheClientsBodyUnchangedWhenEitherSideIsNotAJsonObjectOrNothingIsConfigured() {
        Buffer notJson = json("name=n");
        assertThat(defaults.carried("POST", notJson, json("{\"id\":\"x\"}"))).isSameAs(notJson);
        Buffer body = json("{\"name\":\"n\"}");
        assertThat(defaults.carried("POST", body, json("not json"))).isSameAs(body);
        assertThat(defaults.carried("POST", body, null)).isSameAs(body);
        assertThat(defaults.carried("DELETE", body, json("{\"id\":\"x\"}"))).isSameAs(body);
        assertThat(new PrimaryFields(List.of()).carried("POST", body, json("{\"id\":\"x\"}"))).isSameAs(body);
    }
}
