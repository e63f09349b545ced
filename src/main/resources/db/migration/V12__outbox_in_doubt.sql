-- Writes in doubt: recorded, but their primary's answer never came (a reset, a timeout, a router that
-- died), whether still unconfirmed or promoted after the grace and not yet sent. A retry of such a write
-- (same Idempotency-Key) that finds V2 unreachable is not applied on V1 instead (V2 may have it): the
-- write path looks its key up here, on that rare path only.
CREATE INDEX cutover_outbox_in_doubt ON cutover_outbox (idempotency_key)
  WHERE state = 'unconfirmed' OR (state = 'pending' AND via_primary);
