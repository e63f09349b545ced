package io.cutover.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claim's cost does not grow with the backlog: with 100,000 pending rows (of one entity, of one
 * chatty device's readings, and over 10,000 entities) every statement of a worker round and the
 * write path's outbox-order check read an index, never the whole outbox. Real PostgreSQL, the
 * router's real migrations; the plans are written to {@code target/outbox-claim-plans.txt}.
 */
class OutboxClaimPlanTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static EmbeddedPostgres db;
    private static Connection c;
    private static final StringBuilder PLANS = new StringBuilder();

    @BeforeAll
    static void outboxSchema() throws Exception {
        db = EmbeddedPostgres.builder().start();
        c = db.getPostgresDatabase().getConnection();
        // every migration of the router's database, in version order (the outbox's columns and indexes as they ship)
        List<Path> migrations;
        try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
            migrations = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(java.util.Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString().split("__")[0].substring(1))))
                    .toList();
        }
        for (Path m : migrations) {
            try (Statement s = c.createStatement()) {
                s.execute(Files.readString(m));
            }
        }
    }

    @AfterAll
    static void close() throws Exception {
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "outbox-claim-plans.txt"), PLANS);
        c.close();
        db.close();
    }

    @BeforeEach
    void emptyOutbox() throws Exception {
        exec("TRUNCATE cutover_outbox, cutover_outbox_queue");
    }

    private static void exec(String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** {@code rows} pending rows towards V2 over {@code entities} entities, inserted the way the router inserts (the trigger keeps the queues). */
    private static void backlog(int rows, int entities, boolean ordered) throws Exception {
        exec("""
                INSERT INTO cutover_outbox (id, state, target, method, uri, headers, body, tenant, idempotency_key, entity_key,
                                            ordered, next_attempt_at, created_at, updated_at)
                SELECT gen_random_uuid(), 'pending', 'v2', 'PUT', '/api/devices/d-' || (g %% %d), '{}', '\\x7b7d', 'default_tenant_id',
                       'k-' || g, 'device:d-' || (g %% %d), %s, '%s'::timestamptz - interval '1 minute', '%s', '%s'
                  FROM generate_series(1, %d) g
                """.formatted(entities, entities, ordered, NOW, NOW, NOW, rows));
        exec("ANALYZE cutover_outbox");
        exec("ANALYZE cutover_outbox_queue");
    }

    private static String plan(String title, String sql, Object... params) throws Exception {
        // JDBC's ? are positional: bind each $n where it appears
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$(\\d+)").matcher(sql);
        List<Integer> order = new ArrayList<>();
        while (m.find()) {
            order.add(Integer.parseInt(m.group(1)));
        }
        try (PreparedStatement p = c.prepareStatement("EXPLAIN " + sql.replaceAll("\\$(\\d+)", "?"))) {
            for (int i = 0; i < order.size(); i++) {
                p.setObject(i + 1, params[order.get(i) - 1]);
            }
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            String plan = String.join("\n", lines);
            PLANS.append("## ").append(title).append('\n').append(plan).append("\n\n");
            return plan;
        }
    }

    private static Timestamp at(Instant i) {
        return Timestamp.from(i);
    }

    private static Object[] claimParams() {
        return new Object[] {"w", at(NOW.plusSeconds(30)), at(NOW), 256};
    }

    private static java.sql.Array texts(String... values) throws Exception {
        return c.createArrayOf("text", values);
    }

    @Test
    void shouldClaimAndReadARunOfOneEntityWith100000PendingRowsThroughIndexes() throws Exception {
        backlog(100_000, 1, true);

        String queues = plan("claim of due entities, 100,000 rows of one entity", OutboxStore.CLAIM_QUEUES, claimParams());
        String runs = plan("run of the entity, 100,000 rows of one entity", OutboxStore.RUNS, texts("v2"), texts("device:d-0"), 64);
        String open = plan("outbox-order check of three writes in one batch, 100,000 rows of one entity", OutboxStore.OPEN_OF,
                texts("device:d-0", "device:d-0", "device:d-1"), texts("v1", "v2", "v2"));
        // (asked towards V1 while all 100,000 rows go to V2, and of another entity: one probe each, without walking
        // the entity's rows)
        String fallback = plan("fallback check of a write V1 never received, 100,000 rows of its entity", OutboxStore.FALLBACK_CHECK,
                "k-new", java.util.UUID.randomUUID(), "v2", "device:d-0", true);

        assertThat(queues).doesNotContain("on cutover_outbox ").doesNotContain("Seq Scan on cutover_outbox_queue q");
        assertThat(runs).contains("cutover_outbox_entity_open").doesNotContain("Seq Scan on cutover_outbox");
        assertThat(open).contains("cutover_outbox_entity_open").doesNotContain("Seq Scan");
        assertThat(fallback).contains("cutover_outbox_entity_open").contains("cutover_outbox_in_doubt").doesNotContain("Seq Scan");
    }

    @Test
    void shouldClaimDueReadingsOfAChattyDeviceWith100000PendingRowsThroughAnIndex() throws Exception {
        backlog(100_000, 1, false);

        String free = plan("claim of due independent rows, 100,000 readings of one device", OutboxStore.CLAIM_FREE, claimParams());

        assertThat(free).contains("cutover_outbox_free_due").doesNotContain("Seq Scan");
    }

    @Test
    void shouldClaimDueEntitiesAmong10000ThroughTheQueueIndex() throws Exception {
        backlog(100_000, 10_000, true);
        assertThat(count("cutover_outbox_queue")).as("one queue per entity").isEqualTo(10_000);

        String queues = plan("claim of due entities, 10,000 entities x 10 rows", OutboxStore.CLAIM_QUEUES, claimParams());
        String runs = plan("runs of 3 claimed entities, 10,000 entities x 10 rows", OutboxStore.RUNS,
                texts("v2", "v2", "v2"), texts("device:d-1", "device:d-2", "device:d-3"), 64);

        assertThat(queues).contains("cutover_outbox_queue_due").doesNotContain("Seq Scan");
        assertThat(runs).contains("cutover_outbox_entity_open").doesNotContain("Seq Scan on cutover_outbox");
    }

    @Test
    void shouldFindTheReadingsADeleteSupersedesAmong100000ThroughIndexesByAge() throws Exception {
        // 100,000 readings of 1,000 devices still to send, one a second over the last 28 hours; a device's delete among them
        exec("""
                INSERT INTO cutover_outbox (id, state, target, method, uri, headers, body, tenant, idempotency_key, entity_key,
                                            ordered, next_attempt_at, created_at, updated_at)
                SELECT gen_random_uuid(), 'pending', 'v2', 'POST', '/api/devices/d-' || (g %% 1000) || '/telemetry', '{}', '\\x7b7d',
                       't', 'k-' || g, 'device:d-' || (g %% 1000), false, '%s', '%s'::timestamptz - g * interval '1 second', '%s'
                  FROM generate_series(1, 100000) g
                """.formatted(NOW, NOW, NOW));
        exec("INSERT INTO cutover_outbox (id, state, target, method, uri, headers, body, tenant, idempotency_key, entity_key, ordered,"
                + " next_attempt_at, created_at, updated_at) VALUES ('00000000-0000-0000-0000-00000000000d', 'pending', 'v2', 'DELETE',"
                + " '/api/devices/d-7', '{}', '', 't', 'k-delete', 'device:d-7', true, now(), '" + NOW.minusSeconds(90_000) + "', now())");
        exec("ANALYZE cutover_outbox");

        String supersede = plan("readings a device's delete supersedes, 100,000 readings of 1,000 devices", OutboxStore.SUPERSEDE_INDEPENDENT,
                c.createArrayOf("uuid", new Object[] {java.util.UUID.fromString("00000000-0000-0000-0000-00000000000d")}), at(NOW));

        assertThat(supersede).contains("cutover_outbox_pending_age").contains("cutover_outbox_unconfirmed").doesNotContain("Seq Scan");
    }

    private static long count(String table) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
