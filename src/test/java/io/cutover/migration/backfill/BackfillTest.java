package io.cutover.migration.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.clock.Ticker;
import io.cutover.migration.JobFailure;
import io.cutover.migration.Mapping;
import io.cutover.migration.MappingLoader;
import io.cutover.migration.TestData;
import io.cutover.migration.TestDatabases;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BackfillTest {

    private static final String TENANT = "default_tenant_id";
    private final Mapping mapping = MappingLoader.defaultMapping(Map.of());
    private TestDatabases t;

    @BeforeEach
    void databases() {
        t = TestDatabases.create();
    }

    @AfterEach
    void close() {
        t.close();
    }

    private BackfillSummary backfill(int batchSize, long maxBatches) {
        return backfill(batchSize, maxBatches, BackfillOptions.DEFAULT_WRITERS);
    }

    private BackfillSummary backfill(int batchSize, long maxBatches, int writers) {
        return new Backfill(t.dbs, new BackfillOptions(batchSize, 0, maxBatches, false, writers), Progress.NONE,
                Ticker.SYSTEM).run(mapping);
    }

    @Test
    void shouldMapEveryColumnAsTheReferenceReadmeSays() {
        TestData.generate(t);

        BackfillSummary summary = backfill(300, 0);

        assertThat(summary.complete()).isTrue();
        assertThat(summary.table("telemetry").inserted()).isEqualTo(TestData.TELEMETRY);
        var tenants = TestDatabases.rowsById(t.dbs.target(), "tenants");
        assertThat(tenants).containsOnlyKeys(TENANT);
        assertThat(tenants.get(TENANT)).containsEntry("name", "Default Tenant").containsEntry("slug", "default")
                .containsEntry("plan", "ENTERPRISE").containsEntry("status", "ACTIVE");

        var v1Users = TestDatabases.rowsById(t.dbs.source(), "users");
        var v2Users = TestDatabases.rowsById(t.dbs.target(), "users");
        assertThat(v2Users).hasSize(TestData.USERS).containsOnlyKeys(v1Users.keySet());
        v1Users.forEach((id, v1) -> {
            Map<String, Object> expected = new HashMap<>(v1);
            expected.put("tenant_id", TENANT);
            assertThat(v2Users.get(id)).isEqualTo(expected);
        });

        var templates = TestDatabases.rowsById(t.dbs.target(), "device_templates");
        assertThat(templates).hasSize(TestData.TYPES.length);
        assertThat(templates.values()).allSatisfy(tpl -> assertThat(tpl).containsEntry("tenant_id", TENANT));
        assertThat(templates.values().stream().map(tpl -> tpl.get("device_type")))
                .containsExactlyInAnyOrder((Object[]) TestData.TYPES);
        var v1Devices = TestDatabases.rowsById(t.dbs.source(), "devices");
        var v2Devices = TestDatabases.rowsById(t.dbs.target(), "devices");
        assertThat(v2Devices).hasSize(TestData.DEVICES).containsOnlyKeys(v1Devices.keySet());
        v1Devices.forEach((id, v1) -> {
            Map<String, Object> v2 = v2Devices.get(id);
            assertThat(templates.get((String) v2.get("template_id"))).containsEntry("device_type", v1.get("type"));
            Map<String, Object> expected = new HashMap<>(v1);
            expected.remove("type");
            expected.remove("config");
            expected.put("tenant_id", TENANT);
            expected.put("template_id", v2.get("template_id"));
            expected.put("attributes", v1.get("config") == null ? Map.of() : v1.get("config"));
            expected.put("metadata", Map.of("migratedFrom", "v1", "originalType", v1.get("type")));
            assertThat(v2).isEqualTo(expected);
        });
        assertThat(v1Devices.values()).anyMatch(d -> d.get("config") == null);

        var v1Data = TestDatabases.rowsById(t.dbs.source(), "device_data");
        var v2Telemetry = TestDatabases.rowsById(t.dbs.target(), "telemetry");
        assertThat(v2Telemetry).hasSize(TestData.TELEMETRY).containsOnlyKeys(v1Data.keySet());
        v1Data.forEach((id, v1) -> {
            Map<String, Object> expected = new HashMap<>();
            expected.put("id", v1.get("id"));
            expected.put("tenant_id", TENANT);
            expected.put("device_id", v1.get("device_id"));
            expected.put("timestamp", v1.get("timestamp"));
            expected.put("metrics", v1.get("data"));
            expected.put("protocol", v1.get("protocol"));
            expected.put("source", v1.get("source") == null ? "migrated" : v1.get("source"));
            expected.put("quality", "GOOD");
            assertThat(v2Telemetry.get(id)).isEqualTo(expected);
        });
        assertThat(v1Data.values()).anyMatch(d -> d.get("source") == null).anyMatch(d -> d.get("protocol") == null);

        var v1Alerts = TestDatabases.rowsById(t.dbs.source(), "alerts");
        var v2Alerts = TestDatabases.rowsById(t.dbs.target(), "alerts");
        assertThat(v2Alerts).hasSize(TestData.ALERTS).containsOnlyKeys(v1Alerts.keySet());
        v1Alerts.forEach((id, v1) -> {
            Map<String, Object> expected = new HashMap<>(v1);
            expected.put("tenant_id", TENANT);
            assertThat(v2Alerts.get(id)).isEqualTo(expected);
        });
    }

    @Test
    void shouldChangeNothingWhenRunAgain() {
        TestData.generate(t);
        backfill(300, 0);
        Map<String, String> versions = rowVersions();

        BackfillSummary again = backfill(300, 0);

        assertThat(again.tables()).allSatisfy(table -> {
            assertThat(table.inserted()).as(table.table()).isZero();
            assertThat(table.updated()).as(table.table()).isZero();
        });
        assertThat(again.rows()).isEqualTo(TestData.USERS + TestData.DEVICES + TestData.TELEMETRY + TestData.ALERTS);
        assertThat(rowVersions()).isEqualTo(versions);
    }

    @Test
    void shouldUpdateOnlyTheRowsThatChangedInV1() {
        TestData.generate(t);
        backfill(300, 0);
        t.v1("UPDATE device_data SET data = '{\"temperature\": 99}' WHERE id IN (5, 1500)");

        BackfillSummary again = backfill(300, 0);

        assertThat(again.table("telemetry").updated()).isEqualTo(2);
        assertThat(again.table("users").updated()).isZero();
        assertThat(t.v2("SELECT metrics::text FROM telemetry WHERE id = 1500").get(0).getString(0))
                .isEqualTo("{\"temperature\": 99}");
    }

    @Test
    void shouldResumeFromTheCheckpointAfterARunStoppedHalfWay() {
        TestData.generate(t);

        BackfillSummary first = backfill(300, 4);

        assertThat(first.complete()).isFalse();
        assertThat(first.table("telemetry").rows()).isEqualTo(600);
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM telemetry")).isEqualTo(600);
        assertThat(t.v2("SELECT last_key, rows_copied FROM cutover_backfill_checkpoint WHERE table_name = 'telemetry'"))
                .singleElement().satisfies(row -> assertThat(row.getLong(1)).isEqualTo(600));

        BackfillSummary resumed = backfill(300, 0);

        assertThat(resumed.complete()).isTrue();
        assertThat(resumed.table("users").rows()).isZero();
        assertThat(resumed.table("telemetry").rows()).isEqualTo(TestData.TELEMETRY - 600);
        assertThat(resumed.table("telemetry").inserted()).isEqualTo(TestData.TELEMETRY - 600);
        assertThat(TestDatabases.rowsById(t.dbs.target(), "telemetry").keySet())
                .isEqualTo(TestDatabases.rowsById(t.dbs.source(), "device_data").keySet());
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM cutover_backfill_checkpoint")).isZero();
    }

    @Test
    void shouldCopyEveryRowOnceWhateverTheNumberOfWritersAndResumeWithAnother() {
        TestData.generate(t);

        BackfillSummary first = backfill(10, 25, 4);

        assertThat(first.complete()).isFalse();
        long copied = TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM telemetry");
        assertThat(t.v2("SELECT rows_copied FROM cutover_backfill_checkpoint WHERE table_name = 'telemetry'"))
                .singleElement().satisfies(row -> assertThat(row.getLong(0)).isEqualTo(copied));

        BackfillSummary resumed = backfill(100, 0, 1);

        assertThat(resumed.complete()).isTrue();
        assertThat(resumed.table("telemetry").inserted()).isEqualTo(TestData.TELEMETRY - copied);
        assertThat(TestDatabases.rowsById(t.dbs.target(), "telemetry").keySet())
                .isEqualTo(TestDatabases.rowsById(t.dbs.source(), "device_data").keySet());
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM device_templates"))
                .isEqualTo(TestDatabases.count(t.dbs.source(), "SELECT count(DISTINCT type) FROM devices"));
    }

    @Test
    void shouldRefuseAV2WithoutTelemetryQualityAndWriteNothing() {
        TestData.generate(t);
        t.v2("ALTER TABLE telemetry DROP COLUMN quality");

        assertThatThrownBy(() -> backfill(300, 0)).isInstanceOfSatisfying(JobFailure.class, e -> {
            assertThat(e.exitCode()).isEqualTo(2);
            assertThat(e.getMessage()).contains("v2: table telemetry has no column quality");
        });

        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM tenants")).isZero();
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM users")).isZero();
        assertThat(t.v2("SELECT to_regclass('cutover_backfill_checkpoint') IS NULL").get(0).getBoolean(0)).isTrue();
    }

    /** id:xmin of every V2 row: an updated row gets a new xmin even if its values are the same. */
    private Map<String, String> rowVersions() {
        Map<String, String> versions = new HashMap<>();
        for (String table : List.of("tenants", "users", "device_templates", "devices", "telemetry", "alerts")) {
            versions.put(table, t.v2("SELECT string_agg(id::text || ':' || xmin::text, ',' ORDER BY id) FROM " + table)
                    .get(0).getString(0));
        }
        return versions;
    }
}
