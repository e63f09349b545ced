-- key_round: how many times the target answered this row with a 4xx that wrote nothing (a reading
-- whose device it did not have yet, 408, 429) and the row was tried again. A backend that honours
-- Idempotency-Key stores the first answer under the key and replays it (the reference API does so for
-- every status), so each such retry goes under a key of its own, "<key>~<round>"; a retry after a
-- timeout, a reset or a 5xx keeps the key (the target may have applied it).
-- via_primary: the row was promoted from 'unconfirmed' (its router stopped before the primary's answer
-- was recorded): where no later write of its entity follows, it goes to the primary again first, under
-- its own key (the primary replays its first answer, or applies the write now), and then to the target
-- with the fields the primary gave.
ALTER TABLE cutover_outbox
  ADD COLUMN key_round INT NOT NULL DEFAULT 0,
  ADD COLUMN via_primary BOOLEAN NOT NULL DEFAULT false;
