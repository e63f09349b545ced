-- The dual-write outbox: one row per write on a migrating path, inserted while the primary call
-- is in flight, settled (pending / cancelled) before the client is answered, and sent to the
-- secondary by the workers of every replica.
CREATE TABLE cutover_outbox (
  id               UUID PRIMARY KEY,
  seq              BIGSERIAL NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('unconfirmed', 'pending', 'done', 'cancelled', 'failed')),
  target           TEXT NOT NULL,
  method           TEXT NOT NULL,
  uri              TEXT NOT NULL,
  headers          JSONB NOT NULL,
  body             BYTEA NOT NULL,
  tenant           TEXT NOT NULL,
  idempotency_key  TEXT NOT NULL,
  entity_key       TEXT NOT NULL,
  attempts         INT NOT NULL DEFAULT 0,
  next_attempt_at  TIMESTAMPTZ NOT NULL,
  last_error       TEXT,
  claimed_by       TEXT,
  claimed_until    TIMESTAMPTZ,
  created_at       TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL
);
-- Rows still to send, by entity in order: the worker claims only each entity's oldest one.
CREATE INDEX cutover_outbox_open ON cutover_outbox (entity_key, seq) WHERE state IN ('unconfirmed', 'pending');
CREATE INDEX cutover_outbox_due ON cutover_outbox (seq) WHERE state = 'pending';
CREATE INDEX cutover_outbox_finished ON cutover_outbox (updated_at) WHERE state IN ('done', 'cancelled');
