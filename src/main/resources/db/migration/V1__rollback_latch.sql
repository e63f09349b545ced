-- The shared rollback latch: one row, read by every replica (LISTEN cutover_latch + a short poll).
CREATE TABLE cutover_rollback_latch (
    id         smallint    PRIMARY KEY CHECK (id = 1),
    state      text        NOT NULL CHECK (state IN ('ARMED', 'LATCHED')),
    cause      text        NOT NULL,
    reason     text,
    figures    jsonb,
    since      timestamptz NOT NULL,
    changed_by text        NOT NULL,
    version    bigint      NOT NULL
);

INSERT INTO cutover_rollback_latch (id, state, cause, reason, figures, since, changed_by, version)
VALUES (1, 'ARMED', 'initial', NULL, NULL, now(), 'initial', 0);
