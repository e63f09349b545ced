-- Live progress of the migration jobs that record their runs (--record-url): one row per job, mapping and shard
-- (shard 0 of 1 for a run that is not sharded), upserted by the job every few seconds and when it ends.
-- GET /admin/status shows the rows of the last day under migration.shards; the status page draws them.
CREATE TABLE cutover_migration_shards (
  job              TEXT NOT NULL,
  mapping          TEXT NOT NULL,
  shard            INT NOT NULL,
  shard_count      INT NOT NULL,
  -- copying, paused (throttle query), waiting (for other shards), done, stopped (--max-batches), failed
  state            TEXT NOT NULL,
  table_name       TEXT,
  rows_done        BIGINT NOT NULL,
  rows_total       BIGINT NOT NULL,
  rows_per_second  DOUBLE PRECISION NOT NULL,
  eta_seconds      BIGINT,
  rejected         BIGINT NOT NULL,
  note             TEXT,
  started_at       TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (job, mapping, shard_count, shard)
);
CREATE INDEX cutover_migration_shards_recent ON cutover_migration_shards (updated_at DESC);
