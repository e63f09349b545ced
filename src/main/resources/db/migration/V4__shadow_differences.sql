-- The last differences found by shadow reads (cutover.shadow.keep-last of them: every insert batch
-- prunes the rest). GET /admin/shadow and /admin/status show them, newest first.
CREATE TABLE cutover_shadow_differences (
  id                BIGSERIAL PRIMARY KEY,
  at                TIMESTAMPTZ NOT NULL,
  route             TEXT NOT NULL,
  tenant            TEXT NOT NULL,
  method            TEXT NOT NULL,
  path              TEXT NOT NULL,
  primary_backend   TEXT NOT NULL CHECK (primary_backend IN ('v1', 'v2')),
  primary_status    INT NOT NULL,
  secondary_status  INT NOT NULL,
  differences       JSONB NOT NULL
);
