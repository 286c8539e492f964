-- A tenant's history gets a column of its own (R11): a step appends an entry or two to it, rather than
-- rewriting a snapshot that carries all fifty. The snapshot column keeps the rest of the tenant's state.
ALTER TABLE tenant ADD COLUMN history JSONB NOT NULL DEFAULT '[]';

UPDATE tenant SET history = COALESCE(snapshot -> 'history', '[]'), snapshot = snapshot - 'history'
WHERE snapshot IS NOT NULL;

-- The last `keep` entries of a history (all of it when it is no longer than that).
CREATE FUNCTION tenant_history_last(entries JSONB, keep INTEGER) RETURNS JSONB
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_array_length(entries) <= keep THEN entries
    ELSE COALESCE((SELECT jsonb_agg(entry ORDER BY position)
                   FROM jsonb_array_elements(entries) WITH ORDINALITY AS listed(entry, position)
                   WHERE position > jsonb_array_length(entries) - keep), '[]')
  END
$$;
