-- Per-tenant migration state (io.cutover.tenantstate): where each tenant is in
-- dual-write -> backfilled -> verified -> reads-on-v2 -> writes-on-v2, and every move it made.
-- A tenant without a row is in dual-write and follows the traffic policy.
CREATE TABLE cutover_tenant_state (
  tenant      TEXT PRIMARY KEY,
  state       TEXT NOT NULL CHECK (state IN ('dual-write', 'backfilled', 'verified', 'reads-on-v2', 'writes-on-v2')),
  since       TIMESTAMPTZ NOT NULL,
  changed_by  TEXT NOT NULL,
  reason      TEXT,
  forced      BOOLEAN NOT NULL
);

-- Every transition, forward or back; from_state is null for a tenant's first one.
CREATE TABLE cutover_tenant_transitions (
  id          BIGSERIAL PRIMARY KEY,
  tenant      TEXT NOT NULL,
  from_state  TEXT,
  to_state    TEXT NOT NULL,
  changed_by  TEXT NOT NULL,
  reason      TEXT,
  at          TIMESTAMPTZ NOT NULL,
  forced      BOOLEAN NOT NULL,
  -- the verify run the gate looked at (cutover_migration_runs.id), null when there was none
  verify_run  BIGINT
);
CREATE INDEX cutover_tenant_transitions_tenant ON cutover_tenant_transitions (tenant, id DESC);

-- The tenant a backfill or verify run was scoped to (--tenant); null for a run over everything.
ALTER TABLE cutover_migration_runs ADD COLUMN tenant TEXT;
CREATE INDEX cutover_migration_runs_tenant ON cutover_migration_runs (job, tenant, finished_at DESC, id DESC);

-- Every replica re-reads its copy of the states and the last verify per tenant on NOTIFY cutover_tenants
-- (and polls): a move on one replica, or a run recorded by a job, reaches all of them at once.
CREATE FUNCTION cutover_tenants_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cutover_tenants', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
CREATE TRIGGER cutover_tenant_state_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cutover_tenant_state
  FOR EACH STATEMENT EXECUTE FUNCTION cutover_tenants_notify();
CREATE TRIGGER cutover_migration_runs_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cutover_migration_runs
  FOR EACH STATEMENT EXECUTE FUNCTION cutover_tenants_notify();
