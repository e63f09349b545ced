-- The progression of the V2 weight (io.cutover.progression): one row, shared by every replica
-- (LISTEN cutover_progression + a short poll), absent until a policy has a progression.
CREATE TABLE cutover_progression (
  id           SMALLINT PRIMARY KEY CHECK (id = 1),
  phase        TEXT NOT NULL CHECK (phase IN ('progressing', 'waiting-gate', 'paused', 'aborted', 'done')),
  weight       DOUBLE PRECISION NOT NULL CHECK (weight >= 0 AND weight <= 100),
  step_since   TIMESTAMPTZ NOT NULL,
  clean_since  TIMESTAMPTZ NOT NULL,
  changed_at   TIMESTAMPTZ NOT NULL,
  hold         TEXT,
  overdue      BOOLEAN NOT NULL,
  changed_by   TEXT NOT NULL,
  reason       TEXT,
  version      BIGINT NOT NULL
);

-- Every change but the holds (a hold is written at most once a second while it lasts): the audit
-- of promotions, gates, pauses, aborts and restarts, with who and why.
CREATE TABLE cutover_progression_events (
  id          BIGSERIAL PRIMARY KEY,
  at          TIMESTAMPTZ NOT NULL,
  event       TEXT NOT NULL,
  phase       TEXT NOT NULL,
  weight      DOUBLE PRECISION NOT NULL,
  changed_by  TEXT NOT NULL,
  reason      TEXT
);
CREATE INDEX cutover_progression_events_at ON cutover_progression_events (id DESC);
