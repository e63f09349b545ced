package io.cutover.migration;

/** Generated V1 data: users, devices of several types (some without config or owner), telemetry, alerts. */
public final class TestData {

    public static final int USERS = 20;
    public static final int DEVICES = 30;
    public static final int TELEMETRY = 2000;
    public static final int ALERTS = 25;
    public static final String[] TYPES = {"sensor", "gateway", "camera"};

    private TestData() {
    }

    public static void generate(TestDatabases t) {
        t.v1("INSERT INTO users (id, email, name, role, created_at, updated_at) "
                + "SELECT 'u' || lpad(i::text, 4, '0'), 'user' || i || '@example.com', "
                + "CASE WHEN i % 5 = 0 THEN NULL ELSE 'User ' || i END, CASE WHEN i % 4 = 0 THEN 'ADMIN' ELSE 'USER' END, "
                + "timestamptz '2024-01-01 00:00:00+00' + i * interval '1 hour', "
                + "timestamptz '2024-02-01 00:00:00+00' + i * interval '1 minute' FROM generate_series(1, " + USERS + ") i");
        t.v1("INSERT INTO devices (id, name, type, status, config, owner_id, created_at, updated_at) "
                + "SELECT 'd' || lpad(i::text, 4, '0'), 'Device ' || i, (ARRAY['sensor','gateway','camera'])[i % 3 + 1], "
                + "CASE WHEN i % 2 = 0 THEN 'ONLINE' ELSE 'OFFLINE' END, "
                + "CASE WHEN i % 3 = 0 THEN NULL ELSE jsonb_build_object('interval', i, 'unit', 's') END, "
                + "CASE WHEN i % 7 = 0 THEN NULL ELSE 'u' || lpad((i % " + USERS + " + 1)::text, 4, '0') END, "
                + "timestamptz '2024-03-01 00:00:00+00' + i * interval '1 hour', "
                + "timestamptz '2024-03-02 00:00:00+00' + i * interval '1 second' FROM generate_series(1, " + DEVICES + ") i");
        t.v1("INSERT INTO device_data (device_id, \"timestamp\", data, protocol, source) "
                + "SELECT 'd' || lpad((i % " + DEVICES + " + 1)::text, 4, '0'), "
                + "timestamptz '2024-04-01 00:00:00+00' + i * interval '10 seconds', "
                + "jsonb_build_object('temperature', 20 + i % 10, 'humidity', i % 100), "
                + "CASE WHEN i % 11 = 0 THEN NULL ELSE 'mqtt' END, CASE WHEN i % 3 = 0 THEN NULL ELSE 'gateway-' || i % 4 END "
                + "FROM generate_series(1, " + TELEMETRY + ") i");
        t.v1("INSERT INTO alerts (id, device_id, severity, message, acknowledged, created_at) "
                + "SELECT 'a' || lpad(i::text, 4, '0'), CASE WHEN i % 6 = 0 THEN NULL ELSE 'd' || lpad((i % " + DEVICES
                + " + 1)::text, 4, '0') END, (ARRAY['LOW','HIGH','CRITICAL'])[i % 3 + 1], 'Alert ' || i, i % 2 = 0, "
                + "timestamptz '2024-05-01 00:00:00+00' + i * interval '1 minute' FROM generate_series(1, " + ALERTS + ") i");
    }
}
