-- The audit log's trust boundary moves out of the application role's hands.
--
-- * Events are appended only through public.audit_event_append (SECURITY DEFINER);
--   the app role loses INSERT on audit_events and may EXECUTE that function and
--   public.audit_event_begin, nothing else of the log's machinery.
-- * The time of an event is the server's (the transaction's start, to the
--   millisecond). A caller-supplied time is ignored, except from the table's owner:
--   the demo seed and the benchmark load a backdated history, and an owner can
--   disable these triggers anyway, so refusing it would protect nothing.
-- * The chain is keyed: each hash is HMAC-SHA256 under a key derived from
--   WARDEN_MASTER_KEY, which never reaches the database, so PostgreSQL cannot
--   compute it. audit_event_begin takes the workspace's chain lock and hands out
--   the next position, the previous hash, an id, the time and the metadata as
--   jsonb will print it; the server computes the HMAC (lib/audit/audit-chain.ts);
--   audit_event_append re-checks the position under the same lock and inserts.
--   Each event names the key it was hashed with (key_id). Events written before
--   this migration have no key_id and are re-chained once at start-up
--   (lib/audit/rekey-legacy-chain.ts).
-- * The client's X-Request-Id is kept apart from the server's request id.
-- * Every function and trigger pins search_path and names tables with their schema:
--   a TEMP table named audit_events shadows public.audit_events for unqualified names
--   (pg_temp is searched first for relations unless listed), and must not capture
--   the chain.
-- * Personal security events (sign-ins, lockouts, MFA and password changes) leave
--   the workspaces' logs for an account-level log, account_events.

ALTER TABLE public.audit_events ADD COLUMN "key_id" TEXT, ADD COLUMN "client_request_id" TEXT;

-- Redefined with a pinned search_path; the message names the table, as account_events uses it too.
CREATE OR REPLACE FUNCTION public.audit_events_reject_change() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

-- The unkeyed SHA-256 encoding of 20261122040000 is computed in Node now (to verify
-- and re-chain legacy events); the database no longer hashes anything.
DROP TRIGGER "audit_events_chain" ON public.audit_events;
DROP FUNCTION public.audit_event_hash(public.audit_events);
DROP FUNCTION public.audit_event_field(TEXT);

-- Whether the connected login owns the log. session_user, not current_user: inside a
-- SECURITY DEFINER function current_user is the function's owner.
CREATE FUNCTION public.audit_caller_owns_log() RETURNS boolean
  LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
  SELECT pg_catalog.pg_has_role(session_user, c.relowner, 'MEMBER')
    FROM pg_catalog.pg_class c WHERE c.oid = 'public.audit_events'::pg_catalog.regclass
$$;

-- The server's time for an event: the transaction's start, so audit_event_begin and
-- audit_event_append (same transaction) agree without being told. Only the owner's
-- requested time is honoured (see above).
CREATE FUNCTION public.audit_event_time(requested TIMESTAMPTZ) RETURNS TIMESTAMPTZ
  LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
  SELECT pg_catalog.date_trunc('milliseconds',
    CASE WHEN requested IS NOT NULL AND public.audit_caller_owns_log() THEN requested ELSE pg_catalog.transaction_timestamp() END)
$$;

-- RLS reads stay on the tenant setting, but a write must also be for the very
-- workspace the transaction declared: the two functions below refuse any other.
CREATE FUNCTION public.audit_assert_workspace(workspace UUID) RETURNS void
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
BEGIN
  IF workspace IS NULL OR workspace IS DISTINCT FROM public.app_current_workspace_id() THEN
    RAISE EXCEPTION 'an audit event can only be written for the workspace of the transaction' USING ERRCODE = 'insufficient_privilege';
  END IF;
END
$$;

-- Step one of an append: the workspace's chain lock (held to the end of the
-- transaction), then for each event of p_events (a JSON array of
-- {metadata, occurred_at}) its position, id, time and metadata text. prev_hash is
-- given for the first; each next one links to the hash the server computes.
CREATE FUNCTION public.audit_event_begin(p_workspace_id UUID, p_events JSONB)
  RETURNS TABLE (ord INTEGER, id UUID, seq BIGINT, prev_hash TEXT, occurred_ms BIGINT, metadata_text TEXT)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
DECLARE
  head_seq BIGINT;
  head_hash TEXT;
BEGIN
  PERFORM public.audit_assert_workspace(p_workspace_id);
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('audit_events:' || p_workspace_id::text, 0));
  SELECT e.seq, e.hash INTO head_seq, head_hash FROM public.audit_events e
    WHERE e.workspace_id = p_workspace_id ORDER BY e.seq DESC LIMIT 1;
  RETURN QUERY
    SELECT x.ord::integer, pg_catalog.gen_random_uuid(), coalesce(head_seq, 0) + x.ord,
           CASE WHEN x.ord = 1 THEN coalesce(head_hash, pg_catalog.repeat('0', 64)) END,
           (extract(epoch FROM public.audit_event_time((x.e ->> 'occurred_at')::timestamptz)) * 1000)::bigint,
           coalesce(x.e -> 'metadata', '{}'::jsonb)::text
      FROM pg_catalog.jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord)
     ORDER BY x.ord;
END
$$;

-- Step two: the events, hashed by the server, inserted in order. The chain guard
-- below re-checks each one's position and link under the lock step one took; the
-- time is computed again here, never taken from the caller.
CREATE FUNCTION public.audit_event_append(p_workspace_id UUID, p_events JSONB) RETURNS INTEGER
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  inserted INTEGER;
BEGIN
  PERFORM public.audit_assert_workspace(p_workspace_id);
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('audit_events:' || p_workspace_id::text, 0));
  INSERT INTO public.audit_events (id, workspace_id, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id,
                                   ip, user_agent, request_id, client_request_id, metadata, seq, prev_hash, hash, key_id)
  SELECT (x.e ->> 'id')::uuid, p_workspace_id, public.audit_event_time((x.e ->> 'occurred_at')::timestamptz),
         x.e ->> 'actor_type', (x.e ->> 'actor_id')::uuid, x.e ->> 'actor_label', x.e ->> 'action',
         x.e ->> 'target_type', x.e ->> 'target_id', x.e ->> 'ip', x.e ->> 'user_agent', x.e ->> 'request_id',
         x.e ->> 'client_request_id', coalesce(x.e -> 'metadata', '{}'::jsonb),
         (x.e ->> 'seq')::bigint, x.e ->> 'prev_hash', x.e ->> 'hash', x.e ->> 'key_id'
    FROM pg_catalog.jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord)
   ORDER BY x.ord;
  GET DIAGNOSTICS inserted = ROW_COUNT;
  RETURN inserted;
END
$$;

-- The chain guard, for every insert whoever makes it: the event must extend its
-- workspace's chain exactly (next seq, previous hash) and carry a keyed hash. Two
-- writers cannot both extend one event (and the unique index refuses a fork anyway).
CREATE OR REPLACE FUNCTION public.audit_events_chain() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
  previous RECORD;
BEGIN
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('audit_events:' || NEW.workspace_id::text, 0));
  SELECT e.seq, e.hash INTO previous FROM public.audit_events e
    WHERE e.workspace_id = NEW.workspace_id ORDER BY e.seq DESC LIMIT 1;
  IF NEW.seq IS DISTINCT FROM coalesce(previous.seq, 0) + 1 OR NEW.prev_hash IS DISTINCT FROM coalesce(previous.hash, pg_catalog.repeat('0', 64)) THEN
    RAISE EXCEPTION 'audit event % does not extend the chain of workspace % (expected seq %)', NEW.seq, NEW.workspace_id, coalesce(previous.seq, 0) + 1
      USING ERRCODE = 'serialization_failure';
  END IF;
  IF NEW.key_id IS NULL OR NEW.hash IS NULL OR NEW.hash !~ '^[0-9a-f]{64}$' THEN
    RAISE EXCEPTION 'audit events are written through public.audit_event_append with a keyed hash' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "audit_events_chain" BEFORE INSERT ON public.audit_events
  FOR EACH ROW EXECUTE FUNCTION public.audit_events_chain();

-- The export formatters keep their bodies and only name things by schema. They get
-- no SET search_path: PostgreSQL never inlines a SQL function that has a SET clause,
-- and these are written to be inlined into the export's query rather than called
-- per row. Every relation, type and Warden function in them is schema-qualified, and
-- the built-ins resolve in pg_catalog, which is searched first when not listed.
CREATE OR REPLACE FUNCTION public.audit_csv_cell(value TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN value IS NULL THEN '' ELSE
    '"' || CASE WHEN pg_catalog.left(value, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN '''' ELSE '' END || pg_catalog.replace(value, '"', '""') || '"'
  END
$$;

CREATE OR REPLACE FUNCTION public.audit_utc(at TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT pg_catalog.to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

CREATE OR REPLACE FUNCTION public.audit_event_csv(e public.audit_events) RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT pg_catalog.concat_ws(',', e.seq::text, public.audit_utc(e.occurred_at), e.actor_type, coalesce(e.actor_id::text, ''),
    public.audit_csv_cell(e.actor_label), e.action, public.audit_csv_cell(e.target_type), public.audit_csv_cell(e.target_id),
    public.audit_csv_cell(e.ip), public.audit_csv_cell(e.user_agent), public.audit_csv_cell(e.request_id), public.audit_csv_cell(e.metadata::text), e.hash) || E'\r\n'
$$;

CREATE OR REPLACE FUNCTION public.audit_event_json(e public.audit_events) RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT pg_catalog.json_build_object(
    'id', e.id, 'seq', e.seq::text, 'occurred_at', public.audit_utc(e.occurred_at),
    'actor', pg_catalog.json_build_object('type', e.actor_type, 'id', e.actor_id, 'label', e.actor_label),
    'action', e.action,
    'target', CASE WHEN e.target_type IS NULL THEN NULL ELSE pg_catalog.json_build_object('type', e.target_type, 'id', e.target_id) END,
    'ip', e.ip, 'user_agent', e.user_agent, 'request_id', e.request_id, 'metadata', e.metadata,
    'prev_hash', e.prev_hash, 'hash', e.hash
  )::text || E'\n'
$$;

-- Only the writer functions are callable by the app; nothing here is PUBLIC.
REVOKE INSERT ON public.audit_events FROM warden_app;
REVOKE EXECUTE ON FUNCTION public.audit_caller_owns_log(), public.audit_event_time(TIMESTAMPTZ), public.audit_assert_workspace(UUID),
  public.audit_event_begin(UUID, JSONB), public.audit_event_append(UUID, JSONB), public.audit_events_chain(),
  public.audit_events_reject_change() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.audit_event_begin(UUID, JSONB), public.audit_event_append(UUID, JSONB) TO warden_app;

-- The account-level log: what happened to a person's account, wherever they
-- belong. user_id is NULL for a sign-in attempt at an address that has no account.
-- No foreign key: the record outlives the account it describes.
CREATE TABLE public.account_events (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" TEXT NOT NULL,
    "actor_id" UUID,
    "actor_label" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "ip" TEXT,
    "user_agent" TEXT,
    "request_id" TEXT,
    "client_request_id" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT "account_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "account_events_actor_type_check" CHECK ("actor_type" IN ('user', 'api_key', 'system')),
    CONSTRAINT "account_events_action_format" CHECK ("action" ~ '^[a-z_]+(\.[a-z_]+)+$')
);
CREATE INDEX "account_events_user_id_occurred_at_idx" ON public.account_events ("user_id", "occurred_at");

CREATE TRIGGER account_events_no_update_delete BEFORE UPDATE OR DELETE ON public.account_events
  FOR EACH ROW EXECUTE FUNCTION public.audit_events_reject_change();
CREATE TRIGGER account_events_no_truncate BEFORE TRUNCATE ON public.account_events
  FOR EACH STATEMENT EXECUTE FUNCTION public.audit_events_reject_change();

-- The app role reads a person's own rows (app.user_id, set by withUser); the
-- instance's operators read everything as the owner, which is why RLS is enabled
-- here but not forced.
ALTER TABLE public.account_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY "account_events_own_rows" ON public.account_events FOR SELECT
  USING ("user_id" = public.app_current_user_id());

-- Appends with the server's time; the app role has no INSERT of its own.
CREATE FUNCTION public.account_event_append(p_user_id UUID, p_event JSONB) RETURNS UUID
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  new_id UUID;
BEGIN
  INSERT INTO public.account_events (user_id, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id,
                                     ip, user_agent, request_id, client_request_id, metadata)
  VALUES (p_user_id, pg_catalog.date_trunc('milliseconds', pg_catalog.transaction_timestamp()),
          p_event ->> 'actor_type', (p_event ->> 'actor_id')::uuid, p_event ->> 'actor_label', p_event ->> 'action',
          p_event ->> 'target_type', p_event ->> 'target_id', p_event ->> 'ip', p_event ->> 'user_agent',
          p_event ->> 'request_id', p_event ->> 'client_request_id', coalesce(p_event -> 'metadata', '{}'::jsonb))
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;
REVOKE EXECUTE ON FUNCTION public.account_event_append(UUID, JSONB) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.account_event_append(UUID, JSONB) TO warden_app;
GRANT SELECT ON public.account_events TO warden_app;
