-- Tamper evidence for the audit log, indexes for its filters, and API keys.

-- Each event carries its position in its workspace's chain (seq), the previous
-- event's hash and its own: SHA-256 over the previous hash and a canonical,
-- length-prefixed encoding of every column. Length prefixes make the encoding
-- unambiguous and easy to reproduce outside the database (lib/audit/audit-chain.ts
-- recomputes it in Node to verify, trusting nothing but the rows).
ALTER TABLE "audit_events" ADD COLUMN "seq" BIGINT, ADD COLUMN "prev_hash" TEXT, ADD COLUMN "hash" TEXT;

CREATE FUNCTION audit_event_field(value TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN value IS NULL THEN '-' ELSE octet_length(value)::text || ':' || value END
$$;

CREATE FUNCTION audit_event_hash(e "audit_events") RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(concat_ws(E'\n',
    'warden-audit-v1',
    e.prev_hash,
    e.seq::text,
    audit_event_field(e.id::text),
    audit_event_field(e.workspace_id::text),
    (extract(epoch FROM e.occurred_at) * 1000)::bigint::text,
    audit_event_field(e.actor_type),
    audit_event_field(e.actor_id::text),
    audit_event_field(e.actor_label),
    audit_event_field(e.action),
    audit_event_field(e.target_type),
    audit_event_field(e.target_id),
    audit_event_field(e.ip),
    audit_event_field(e.user_agent),
    audit_event_field(e.request_id),
    audit_event_field(e.metadata::text)
  ), 'UTF8')), 'hex')
$$;

-- Chain the events already written, per workspace in the order they happened.
-- The append-only trigger and FORCE RLS are lifted for this one statement block.
ALTER TABLE "audit_events" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "audit_events" DISABLE TRIGGER "audit_events_no_update_delete";
DO $$
DECLARE
  e "audit_events";
  current_workspace UUID;
  previous TEXT;
  next_seq BIGINT;
BEGIN
  FOR e IN SELECT * FROM "audit_events" ORDER BY "workspace_id", "occurred_at", "id" LOOP
    IF current_workspace IS DISTINCT FROM e.workspace_id THEN
      current_workspace := e.workspace_id;
      previous := repeat('0', 64);
      next_seq := 0;
    END IF;
    next_seq := next_seq + 1;
    e.seq := next_seq;
    e.prev_hash := previous;
    previous := audit_event_hash(e);
    UPDATE "audit_events" SET "seq" = e.seq, "prev_hash" = e.prev_hash, "hash" = previous WHERE "id" = e.id;
  END LOOP;
END
$$;
ALTER TABLE "audit_events" ENABLE TRIGGER "audit_events_no_update_delete";
ALTER TABLE "audit_events" FORCE ROW LEVEL SECURITY;

ALTER TABLE "audit_events" ALTER COLUMN "seq" SET NOT NULL, ALTER COLUMN "prev_hash" SET NOT NULL, ALTER COLUMN "hash" SET NOT NULL;

-- Writers to one workspace's log queue on a transaction-scoped advisory lock, so
-- two concurrent transactions can never both extend the same event (the unique
-- index below would refuse a fork anyway). Events are ordered by seq: a new
-- event always gets a higher seq than every committed one, which is what keeps
-- cursor pagination exact while events arrive.
CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  previous RECORD;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('audit_events:' || NEW.workspace_id::text, 0));
  SELECT "seq", "hash" INTO previous FROM "audit_events"
    WHERE "workspace_id" = NEW.workspace_id ORDER BY "seq" DESC LIMIT 1;
  NEW.occurred_at := date_trunc('milliseconds', NEW.occurred_at);
  NEW.seq := coalesce(previous.seq, 0) + 1;
  NEW.prev_hash := coalesce(previous.hash, repeat('0', 64));
  NEW.hash := audit_event_hash(NEW);
  RETURN NEW;
END
$$;
CREATE TRIGGER "audit_events_chain" BEFORE INSERT ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION audit_events_chain();

CREATE UNIQUE INDEX "audit_events_workspace_id_seq_key" ON "audit_events"("workspace_id", "seq");
CREATE INDEX "audit_events_workspace_id_actor_id_seq_idx" ON "audit_events"("workspace_id", "actor_id", "seq");
CREATE INDEX "audit_events_workspace_id_action_seq_idx" ON "audit_events"("workspace_id", "action", "seq");
CREATE INDEX "audit_events_workspace_id_target_type_target_id_seq_idx" ON "audit_events"("workspace_id", "target_type", "target_id", "seq");
-- A time window read newest first walks seq backwards and checks the time in the
-- index itself, so its cost does not grow with how many events a day holds.
CREATE INDEX "audit_events_workspace_id_seq_occurred_at_idx" ON "audit_events"("workspace_id", "seq", "occurred_at");

-- Exports are formatted by the database, a batch at a time, so the server only
-- passes text through. Every free-text CSV cell is quoted (NULL stays an empty,
-- unquoted cell), and one that a spreadsheet would read as a formula (=, +, -,
-- @, tab, carriage return) starts with an apostrophe. The other columns cannot
-- hold such characters: seq, time, hash, uuid, and the constrained actor type and
-- action. These functions are STABLE (to_char depends on the session) so that
-- PostgreSQL inlines them into the query rather than calling them per row.
CREATE FUNCTION audit_csv_cell(value TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN value IS NULL THEN '' ELSE
    '"' || CASE WHEN left(value, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN '''' ELSE '' END || replace(value, '"', '""') || '"'
  END
$$;

CREATE FUNCTION audit_utc(at TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- concat_ws drops NULL arguments, so the one nullable bare column (actor_id) is coalesced.
CREATE FUNCTION audit_event_csv(e "audit_events") RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT concat_ws(',', e.seq::text, audit_utc(e.occurred_at), e.actor_type, coalesce(e.actor_id::text, ''),
    audit_csv_cell(e.actor_label), e.action, audit_csv_cell(e.target_type), audit_csv_cell(e.target_id),
    audit_csv_cell(e.ip), audit_csv_cell(e.user_agent), audit_csv_cell(e.request_id), audit_csv_cell(e.metadata::text), e.hash) || E'\r\n'
$$;

-- The same shape as the API's events (lib/audit/to-audit-event-view.ts; a test keeps them equal).
CREATE FUNCTION audit_event_json(e "audit_events") RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', e.id, 'seq', e.seq::text, 'occurred_at', audit_utc(e.occurred_at),
    'actor', json_build_object('type', e.actor_type, 'id', e.actor_id, 'label', e.actor_label),
    'action', e.action,
    'target', CASE WHEN e.target_type IS NULL THEN NULL ELSE json_build_object('type', e.target_type, 'id', e.target_id) END,
    'ip', e.ip, 'user_agent', e.user_agent, 'request_id', e.request_id, 'metadata', e.metadata,
    'prev_hash', e.prev_hash, 'hash', e.hash
  )::text || E'\n'
$$;

CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "scopes" TEXT[] NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,
    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "api_keys_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "api_keys_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "api_keys_revoked_by_id_fkey" FOREIGN KEY ("revoked_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "api_keys_scopes_present" CHECK (cardinality("scopes") > 0)
);
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");
CREATE INDEX "api_keys_workspace_id_created_at_idx" ON "api_keys"("workspace_id", "created_at");

ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;
CREATE POLICY "api_keys_workspace_isolation" ON "api_keys"
  USING ("workspace_id" = app_current_workspace_id())
  WITH CHECK ("workspace_id" = app_current_workspace_id());
-- Before a request's workspace is known, the key itself is the only way in: a
-- lookup sees the one row whose hash it already holds, and nothing else.
CREATE POLICY "api_keys_lookup_by_hash" ON "api_keys" FOR SELECT
  USING ("key_hash" = nullif(current_setting('app.api_key_hash', true), ''));

GRANT SELECT, INSERT, UPDATE ON "api_keys" TO warden_app;
