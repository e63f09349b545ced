-- V1 data for the backfill benchmark: :telemetry device_data rows over :devices devices.
INSERT INTO users (id, email, name, created_at, updated_at)
SELECT 'u' || i, 'user' || i || '@example.com', 'User ' || i, now() - interval '400 days', now() - interval '300 days'
FROM generate_series(1, 1000) i;
INSERT INTO devices (id, name, type, status, config, owner_id, created_at, updated_at)
SELECT 'd' || i, 'Device ' || i, (ARRAY['sensor','gateway','camera','meter','tracker'])[i % 5 + 1],
       CASE WHEN i % 2 = 0 THEN 'ONLINE' ELSE 'OFFLINE' END,
       CASE WHEN i % 3 = 0 THEN NULL ELSE jsonb_build_object('interval', i % 60, 'unit', 's') END,
       'u' || (i % 1000 + 1), now() - interval '300 days', now() - interval '200 days'
FROM generate_series(1, :devices) i;
INSERT INTO device_data (device_id, "timestamp", data, protocol, source)
SELECT 'd' || (i % :devices + 1), timestamptz '2025-01-01 00:00:00+00' + i * interval '1 second',
       jsonb_build_object('temperature', 15 + i % 20, 'humidity', i % 100, 'battery', 100 - i % 50),
       CASE WHEN i % 11 = 0 THEN NULL ELSE 'mqtt' END, CASE WHEN i % 3 = 0 THEN NULL ELSE 'gateway-' || i % 16 END
FROM generate_series(1, :telemetry) i;
INSERT INTO alerts (id, device_id, severity, message, acknowledged, created_at)
SELECT 'a' || i, 'd' || (i % :devices + 1), (ARRAY['LOW','HIGH','CRITICAL'])[i % 3 + 1], 'Alert ' || i, i % 2 = 0,
       now() - interval '100 days'
FROM generate_series(1, 10000) i;
VACUUM ANALYZE;
