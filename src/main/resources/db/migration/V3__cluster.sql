-- The shape of the cluster that shares this database (issue 16): one row, the shard count, written by the
-- first node to start in cluster mode. Every node checks its own cluster.shards against it and refuses to
-- start on another count, since a tenant's shard (and so who may write it) depends on the count.
CREATE TABLE cluster_shape (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  shards      INTEGER NOT NULL CHECK (shards >= 1),
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Who holds each shard, the one strongly consistent record of ownership. A row appears with the shard's
-- first take (epoch 1); a node takes it by compare-and-set while it has no owner (released), has lapsed
-- (expires_at by this server's clock) or is its own; epoch rises by one on every change of owner. A
-- tenant write locks its shard's row FOR SHARE and is refused unless this (owner, epoch) is its writer's.
CREATE TABLE shard_lease (
  shard       INTEGER PRIMARY KEY CHECK (shard >= 0),
  owner       TEXT,
  epoch       BIGINT NOT NULL CHECK (epoch >= 1),
  expires_at  TIMESTAMPTZ NOT NULL,
  renewed_at  TIMESTAMPTZ NOT NULL
);

-- A tenant's shard among `shards`, exactly as io.tenantwatch.cluster.TenantShard computes it: the number
-- after "Cust" modulo the count, as numeric so ids longer than a bigint work and leading zeros count for
-- nothing. Null for an id that is not "Cust" followed by digits (such an id belongs to no shard).
CREATE FUNCTION tenant_shard(tenant TEXT, shards INTEGER) RETURNS INTEGER
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE WHEN tenant ~ '^Cust[0-9]+$' THEN mod(substring(tenant from 5)::numeric, shards)::integer END
$$;
