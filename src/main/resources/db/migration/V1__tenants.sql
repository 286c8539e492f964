-- Watched tenants (R11). The snapshot is the tenant's whole state as the engine writes it (SnapshotJson),
-- its bounded history with each step's commands included; seq and state_code are copied out of it so an
-- operator can query them without JSON operators.
CREATE TABLE tenant (
  tenant      TEXT PRIMARY KEY,
  origin      TEXT NOT NULL CHECK (origin IN ('config', 'admin', 'notification')),
  snapshot    JSONB,
  seq         BIGINT NOT NULL DEFAULT 0,
  state_code  INTEGER,
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Notifications a tenant applied lately, so a replay stays refused across a restart while its token lives.
CREATE TABLE tenant_notification (
  tenant          TEXT NOT NULL REFERENCES tenant (tenant) ON DELETE CASCADE,
  replay_id       TEXT NOT NULL,
  remember_until  BIGINT NOT NULL,
  PRIMARY KEY (tenant, replay_id)
);

-- One row: how many times the engine has started on this store (the start epoch of R11's seq rule).
CREATE TABLE engine_start (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  epoch       BIGINT NOT NULL,
  started_at  TIMESTAMPTZ NOT NULL
);
