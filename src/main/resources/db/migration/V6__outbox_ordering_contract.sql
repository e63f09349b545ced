-- The outbox keyed by the ordering contract (docs/dual-write.md): an entity's rows (a device
-- record's writes) go to a target in order, one entity at a time; independent rows (readings: each
-- one is its own resource) need no queue behind each other. Every claim reads an index whose size
-- is what is due now, never the backlog behind it.
ALTER TABLE cutover_outbox ADD COLUMN ordered BOOLEAN NOT NULL DEFAULT true;

DROP INDEX cutover_outbox_open;
DROP INDEX cutover_outbox_due;
-- An entity's rows still to send towards one target, in order: a run is read from here, and the
-- write path's outbox-order check is one probe of it.
CREATE INDEX cutover_outbox_entity_open ON cutover_outbox (target, entity_key, seq)
  WHERE ordered AND state IN ('unconfirmed', 'pending');
-- Independent rows that are due (a claimed row's next_attempt_at is its lease): claimed from here.
CREATE INDEX cutover_outbox_free_due ON cutover_outbox (next_attempt_at) WHERE NOT ordered AND state = 'pending';
-- The lag (age of the oldest row still to send) per target, and the housekeeping of unconfirmed rows.
CREATE INDEX cutover_outbox_pending_age ON cutover_outbox (target, created_at) WHERE state = 'pending';
CREATE INDEX cutover_outbox_unconfirmed ON cutover_outbox (created_at) WHERE state = 'unconfirmed';

-- One row per (target, entity) with rows still to send: the head tracking of the ordered rows.
-- due_at: when a worker may next take the entity (its lease while one has it, the head's retry
-- time while the head is failing). version: moved by every insert into the entity's rows, so a
-- worker deletes the queue only when nothing arrived since it looked. last_error, blocked_since,
-- attempts: the head row that blocks the entity, shown in /admin/status.
CREATE TABLE cutover_outbox_queue (
  target         TEXT NOT NULL,
  entity_key     TEXT NOT NULL,
  due_at         TIMESTAMPTZ NOT NULL,
  version        BIGINT NOT NULL DEFAULT 0,
  claimed_by     TEXT,
  last_error     TEXT,
  blocked_since  TIMESTAMPTZ,
  attempts       INT NOT NULL DEFAULT 0,
  PRIMARY KEY (target, entity_key)
);
CREATE INDEX cutover_outbox_queue_due ON cutover_outbox_queue (due_at);
CREATE INDEX cutover_outbox_queue_blocked ON cutover_outbox_queue (blocked_since) WHERE blocked_since IS NOT NULL;

-- The queue follows the rows by trigger (one upsert per statement and entity), so every writer of
-- the outbox keeps it, whatever statement it uses. The row lock taken by the upsert orders it with
-- the worker's delete of an empty queue: an insert either sees no queue (and makes one) or moves
-- its version (and the worker keeps it).
CREATE FUNCTION cutover_outbox_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cutover_outbox_queue (target, entity_key, due_at)
  SELECT n.target, n.entity_key, min(n.next_attempt_at)
    FROM new_rows n
   WHERE n.ordered AND n.state IN ('unconfirmed', 'pending')
   GROUP BY n.target, n.entity_key
   ORDER BY n.target, n.entity_key
  ON CONFLICT (target, entity_key) DO UPDATE SET version = cutover_outbox_queue.version + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER cutover_outbox_enqueue_inserted AFTER INSERT ON cutover_outbox
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cutover_outbox_enqueue();
-- Settling a row can re-key it (a create keyed by the id its primary gave) or make it pending. (A
-- trigger with transition tables takes no column list: it runs for every update, and upserts only
-- where an update left an ordered row open.)
CREATE TRIGGER cutover_outbox_enqueue_updated AFTER UPDATE ON cutover_outbox
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cutover_outbox_enqueue();

-- Rows already queued when this migration runs get their queues.
INSERT INTO cutover_outbox_queue (target, entity_key, due_at)
SELECT target, entity_key, min(next_attempt_at) FROM cutover_outbox
 WHERE state IN ('unconfirmed', 'pending') GROUP BY target, entity_key;
