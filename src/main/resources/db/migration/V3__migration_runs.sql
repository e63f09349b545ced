-- One row per run of a migration job (backfill, verify) given --record-url: GET /admin/status shows
-- the last of each. The jobs never create this table: they need the router to have migrated it.
CREATE TABLE cutover_migration_runs (
  id           BIGSERIAL PRIMARY KEY,
  job          TEXT NOT NULL CHECK (job IN ('backfill', 'verify')),
  started_at   TIMESTAMPTZ NOT NULL,
  finished_at  TIMESTAMPTZ NOT NULL,
  exit_code    INT NOT NULL,
  summary      JSONB NOT NULL
);
CREATE INDEX cutover_migration_runs_last ON cutover_migration_runs (job, finished_at DESC, id DESC);
