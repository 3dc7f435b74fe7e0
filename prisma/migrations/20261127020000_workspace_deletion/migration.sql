-- GDPR hard delete: a workspace's whole data graph goes in one transaction and an
-- instance-level receipt stays; a person's account goes and the audit events they
-- caused keep a pseudonymous actor, re-chained so that every chain still verifies.
--
-- * The append-only triggers of audit_events and account_events gain a WHEN clause:
--   they are skipped only for a row whose workspace (or, for account_events, whose
--   person) a transaction-local flag names AND while the statement runs as the
--   table's owner, i.e. inside one of the owner-defined SECURITY DEFINER functions
--   below, which set the flag, do their one job and clear it. The app role can set
--   any custom setting, but its own statements run as itself: the flag alone opens
--   nothing, and the app role still has no UPDATE or DELETE on either table.
-- * Every function pins search_path and names relations with their schema.

-- The receipt of a deleted workspace. No foreign key: it outlives the workspace and
-- the person who deleted it. It is written only by public.delete_workspace, which
-- returns it to the deleting owner at that moment; the app role has no grant on it
-- (and RLS without a policy refuses it anyway), so no later request, of any tenant,
-- reads another's receipts. The instance's operators read them as the database owner
-- (RLS forced, with a policy for the owner alone).
CREATE TABLE public.workspace_deletion_receipts (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "name_sha256" TEXT NOT NULL,
    "deleted_by_user_id" UUID,
    "deleted_by_label" TEXT NOT NULL,
    "deleted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rows_removed" JSONB NOT NULL,
    "final_audit_seq" BIGINT,
    "final_audit_hash" TEXT,
    CONSTRAINT "workspace_deletion_receipts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "workspace_deletion_receipts_name_sha256_format" CHECK ("name_sha256" ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX "workspace_deletion_receipts_workspace_id_key" ON public.workspace_deletion_receipts ("workspace_id");
-- Forced like every table with a workspace_id, and open to the owner alone: the app
-- role has no grant and falls under no policy, so it reads and writes nothing here.
ALTER TABLE public.workspace_deletion_receipts ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.workspace_deletion_receipts FORCE ROW LEVEL SECURITY;
CREATE POLICY "workspace_deletion_receipts_owner" ON public.workspace_deletion_receipts TO CURRENT_USER USING (true) WITH CHECK (true);
REVOKE ALL ON public.workspace_deletion_receipts FROM PUBLIC;

-- Whether this statement may change or remove an audit row of this workspace: the
-- flag names it and the statement runs as the log's owner (current_user: inside a
-- SECURITY DEFINER function it is the function's owner; the app role is never it).
CREATE FUNCTION public.audit_rewrite_permitted(p_workspace_id UUID) RETURNS boolean
  LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
  SELECT coalesce(pg_catalog.current_setting('warden.audit_rewrite', true), '') = p_workspace_id::text
     AND pg_catalog.pg_has_role(current_user, c.relowner, 'MEMBER')
    FROM pg_catalog.pg_class c WHERE c.oid = 'public.audit_events'::pg_catalog.regclass
$$;

CREATE FUNCTION public.account_events_erasure_permitted(p_user_id UUID) RETURNS boolean
  LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
  SELECT p_user_id IS NOT NULL
     AND coalesce(pg_catalog.current_setting('warden.account_erasure', true), '') = p_user_id::text
     AND pg_catalog.pg_has_role(current_user, c.relowner, 'MEMBER')
    FROM pg_catalog.pg_class c WHERE c.oid = 'public.account_events'::pg_catalog.regclass
$$;

-- Same names as before (lib/audit/rekey-legacy-chain.ts disables the first by name),
-- and the same guard function each runs now (audit retention, 20261127010000, gave
-- the log's its own): only the WHEN clause is added.
DO $$
DECLARE
  guard TEXT;
BEGIN
  SELECT t.tgfoid::regproc::text INTO STRICT guard FROM pg_catalog.pg_trigger t
   WHERE t.tgrelid = 'public.audit_events'::regclass AND t.tgname = 'audit_events_no_update_delete';
  DROP TRIGGER audit_events_no_update_delete ON public.audit_events;
  EXECUTE pg_catalog.format('CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON public.audit_events
    FOR EACH ROW WHEN (NOT public.audit_rewrite_permitted(OLD.workspace_id)) EXECUTE FUNCTION %s()', guard);
  SELECT t.tgfoid::regproc::text INTO STRICT guard FROM pg_catalog.pg_trigger t
   WHERE t.tgrelid = 'public.account_events'::regclass AND t.tgname = 'account_events_no_update_delete';
  DROP TRIGGER account_events_no_update_delete ON public.account_events;
  EXECUTE pg_catalog.format('CREATE TRIGGER account_events_no_update_delete BEFORE UPDATE OR DELETE ON public.account_events
    FOR EACH ROW WHEN (NOT public.account_events_erasure_permitted(OLD.user_id)) EXECUTE FUNCTION %s()', guard);
END
$$;

-- Live secrets may be deleted only by the purge policy; the owner (inside
-- delete_workspace, which runs with the workspace as the tenant context) removes all.
CREATE POLICY "secrets_owner_workspace_erasure" ON public.secrets FOR DELETE TO CURRENT_USER
  USING ("workspace_id" = public.app_current_workspace_id() AND public.audit_rewrite_permitted("workspace_id"));

-- Account erasure finds the workspaces whose logs name the person, across tenants,
-- as the owner and only while it runs for that person.
CREATE POLICY "audit_events_owner_account_erasure_read" ON public.audit_events FOR SELECT TO CURRENT_USER
  USING ("actor_id" = NULLIF(pg_catalog.current_setting('warden.account_erasure', true), '')::uuid);

-- Deletes a workspace and everything that names it, in the caller's transaction
-- (whose tenant context must be this workspace), and returns the receipt.
--
-- The tables are found in the catalog at run time: every public table with a
-- workspace_id column, and every column with a cascading foreign key to
-- workspaces (a password reset link issued from it), so a table added later is
-- not forgotten. Rows are counted first, then deleted children before parents
-- (foreign keys among those tables decide the order, the deferrable one to the
-- data keys included), and counted again: a row left behind (a policy that hid
-- it) aborts the deletion rather than leave a receipt that is not true.
CREATE FUNCTION public.delete_workspace(p_workspace_id UUID, p_deleted_by UUID, p_name_sha256 TEXT, p_deleted_by_label TEXT) RETURNS JSONB
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  ws_name TEXT;
  head_seq BIGINT;
  head_hash TEXT;
  rels regclass[] := '{}';
  cols TEXT[] := '{}';
  keys TEXT[] := '{}';
  counts BIGINT[] := '{}';
  done BOOLEAN[] := '{}';
  r RECORD;
  i INTEGER;
  j INTEGER;
  n BIGINT;
  picked BOOLEAN;
  removed JSONB := '{}'::jsonb;
  receipt public.workspace_deletion_receipts;
BEGIN
  PERFORM public.audit_assert_workspace(p_workspace_id);
  -- The people lock first, as member changes take it, then the chain lock, as audit writers do.
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('warden.members:' || p_workspace_id::text, 0));
  SELECT w.name INTO ws_name FROM public.workspaces w WHERE w.id = p_workspace_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'workspace % does not exist', p_workspace_id USING ERRCODE = 'no_data_found';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.memberships m WHERE m.workspace_id = p_workspace_id AND m.user_id = p_deleted_by AND m.role = 'owner') THEN
    RAISE EXCEPTION 'only an owner of workspace % can delete it', p_workspace_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_name_sha256 IS DISTINCT FROM pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(ws_name, 'UTF8')), 'hex') THEN
    RAISE EXCEPTION 'the name given does not match workspace %', p_workspace_id USING ERRCODE = 'check_violation';
  END IF;
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('audit_events:' || p_workspace_id::text, 0));
  SELECT e.seq, e.hash INTO head_seq, head_hash FROM public.audit_events e
   WHERE e.workspace_id = p_workspace_id ORDER BY e.seq DESC LIMIT 1;

  FOR r IN
    SELECT c.oid::regclass AS rel, c.relname::text AS relname, 'workspace_id'::text AS col
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND a.attname = 'workspace_id' AND a.attnum > 0 AND NOT a.attisdropped
       AND c.relname <> 'workspace_deletion_receipts'
    UNION
    SELECT c.oid::regclass, c.relname::text, a.attname::text
      FROM pg_catalog.pg_constraint k
      JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
      JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
     WHERE k.contype = 'f' AND k.confrelid = 'public.workspaces'::regclass AND k.confdeltype = 'c'
       AND pg_catalog.cardinality(k.conkey) = 1 AND a.attname <> 'workspace_id'
       AND c.relnamespace = 'public'::regnamespace
     ORDER BY 2, 3
  LOOP
    EXECUTE pg_catalog.format('SELECT count(*) FROM %s WHERE %I = $1', r.rel, r.col) INTO n USING p_workspace_id;
    rels := rels || r.rel;
    cols := cols || r.col;
    keys := keys || CASE WHEN r.col = 'workspace_id' THEN r.relname ELSE r.relname || '.' || r.col END;
    counts := counts || n;
    done := done || false;
  END LOOP;

  PERFORM pg_catalog.set_config('warden.audit_rewrite', p_workspace_id::text, true);
  -- Children first: a table is emptied once no table still to be emptied refers to it.
  LOOP
    picked := false;
    FOR i IN 1 .. coalesce(pg_catalog.array_length(rels, 1), 0) LOOP
      CONTINUE WHEN done[i];
      IF NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_constraint k, pg_catalog.generate_subscripts(rels, 1) AS s(x)
         WHERE k.contype = 'f' AND k.confrelid = rels[i] AND k.conrelid = rels[s.x] AND k.conrelid <> rels[i] AND NOT done[s.x]
      ) THEN
        EXECUTE pg_catalog.format('DELETE FROM %s WHERE %I = $1', rels[i], cols[i]) USING p_workspace_id;
        -- The same table may be listed twice (two columns): it is emptied once both are due.
        FOR j IN 1 .. pg_catalog.array_length(rels, 1) LOOP
          IF rels[j] = rels[i] AND j <> i AND NOT done[j] THEN
            EXECUTE pg_catalog.format('DELETE FROM %s WHERE %I = $1', rels[j], cols[j]) USING p_workspace_id;
            done[j] := true;
          END IF;
        END LOOP;
        done[i] := true;
        picked := true;
      END IF;
    END LOOP;
    EXIT WHEN NOT (false = ANY (done));
    IF NOT picked THEN
      RAISE EXCEPTION 'the tables of workspace % refer to each other in a cycle; delete_workspace cannot order them', p_workspace_id;
    END IF;
  END LOOP;

  FOR i IN 1 .. coalesce(pg_catalog.array_length(rels, 1), 0) LOOP
    EXECUTE pg_catalog.format('SELECT count(*) FROM %s WHERE %I = $1', rels[i], cols[i]) INTO n USING p_workspace_id;
    IF n > 0 THEN
      RAISE EXCEPTION '% rows of % still refer to workspace %', n, rels[i], p_workspace_id;
    END IF;
    removed := removed || pg_catalog.jsonb_build_object(keys[i], coalesce((removed ->> keys[i])::bigint, 0) + counts[i]);
  END LOOP;

  DELETE FROM public.workspaces w WHERE w.id = p_workspace_id;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n <> 1 THEN
    RAISE EXCEPTION 'workspace % was not deleted', p_workspace_id;
  END IF;
  removed := removed || pg_catalog.jsonb_build_object('workspaces', 1);
  PERFORM pg_catalog.set_config('warden.audit_rewrite', '', true);

  INSERT INTO public.workspace_deletion_receipts (workspace_id, name_sha256, deleted_by_user_id, deleted_by_label, deleted_at, rows_removed, final_audit_seq, final_audit_hash)
  VALUES (p_workspace_id, p_name_sha256, p_deleted_by, p_deleted_by_label,
          pg_catalog.date_trunc('milliseconds', pg_catalog.transaction_timestamp()), removed, head_seq, head_hash)
  RETURNING * INTO receipt;
  RETURN pg_catalog.jsonb_build_object(
    'receipt_id', receipt.id,
    'workspace_id', receipt.workspace_id,
    'name_sha256', receipt.name_sha256,
    'deleted_by_user_id', receipt.deleted_by_user_id,
    'deleted_by_label', receipt.deleted_by_label,
    'deleted_at', public.audit_utc(receipt.deleted_at),
    'rows_removed', receipt.rows_removed,
    'final_audit_seq', receipt.final_audit_seq::text,
    'final_audit_hash', receipt.final_audit_hash
  );
END
$$;

-- Account erasure, step one (the caller's transaction carries app.user_id for this
-- person). Locks the person, refuses when they are the last owner of a workspace
-- (decided under each workspace's people lock, held to the commit: two owners of one
-- workspace erasing themselves at once run one after the other, and the second is
-- refused; the memberships_keep_an_owner trigger stays the guarantee), takes the
-- chain lock of every workspace whose log names them or that they belong to, and
-- returns those workspaces in lock order.
CREATE FUNCTION public.account_erasure_begin(p_user_id UUID)
  RETURNS TABLE (workspace_id UUID)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
DECLARE
  w RECORD;
  affected UUID[];
  previous TEXT := pg_catalog.current_setting('app.workspace_id', true);
BEGIN
  IF p_user_id IS NULL OR p_user_id IS DISTINCT FROM public.app_current_user_id() THEN
    RAISE EXCEPTION 'an account can only be erased in its own context' USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM 1 FROM public.users u WHERE u.id = p_user_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'account % does not exist', p_user_id USING ERRCODE = 'no_data_found';
  END IF;
  PERFORM pg_catalog.set_config('warden.account_erasure', p_user_id::text, true);
  FOR w IN
    SELECT m.workspace_id, m.role, ws.name FROM public.memberships m JOIN public.workspaces ws ON ws.id = m.workspace_id
     WHERE m.user_id = p_user_id ORDER BY m.workspace_id
  LOOP
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('warden.members:' || w.workspace_id::text, 0));
    -- The count under the lock, on the rows as committed now; the workspace as the
    -- tenant context, as FORCE RLS shows an owner that is not a superuser no other.
    PERFORM pg_catalog.set_config('app.workspace_id', w.workspace_id::text, true);
    IF w.role = 'owner' AND NOT EXISTS (
      SELECT 1 FROM public.memberships o WHERE o.workspace_id = w.workspace_id AND o.role = 'owner' AND o.user_id <> p_user_id
    ) THEN
      RAISE EXCEPTION 'account % is the last owner of workspace "%"', p_user_id, w.name
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END LOOP;
  PERFORM pg_catalog.set_config('app.workspace_id', coalesce(previous, ''), true);
  -- memberships' own-rows policy makes the person's rows visible; the owner-only
  -- policy above, the events that name them in any workspace.
  SELECT pg_catalog.array_agg(x ORDER BY x) INTO affected FROM (
    SELECT m.workspace_id AS x FROM public.memberships m WHERE m.user_id = p_user_id
    UNION SELECT e.workspace_id FROM public.audit_events e WHERE e.actor_id = p_user_id
  ) s;
  FOR i IN 1 .. coalesce(pg_catalog.array_length(affected, 1), 0) LOOP
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('audit_events:' || affected[i]::text, 0));
  END LOOP;
  RETURN QUERY SELECT pg_catalog.unnest(coalesce(affected, '{}'::uuid[]));
END
$$;

-- Step two, per workspace: the events to re-chain (from the first one the person
-- caused to the head, as the chain encodes them) and the slot of the account.erased
-- event that closes them (next seq, id, the server's time, its metadata as jsonb
-- prints it). ord 0 is the slot; its prev_hash is the head's hash before re-chaining.
CREATE FUNCTION public.account_erasure_chain(p_user_id UUID, p_workspace_id UUID, p_pseudonym TEXT)
  RETURNS TABLE (ord BIGINT, seq BIGINT, prev_hash TEXT, hash TEXT, key_id TEXT, id UUID, occurred_ms BIGINT, actor_type TEXT,
                 actor_id UUID, actor_label TEXT, action TEXT, target_type TEXT, target_id TEXT, ip TEXT, user_agent TEXT,
                 request_id TEXT, client_request_id TEXT, metadata_text TEXT)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
DECLARE
  previous TEXT := pg_catalog.current_setting('app.workspace_id', true);
  first_seq BIGINT;
  head_seq BIGINT;
  head_hash TEXT;
  relabelled BIGINT;
  mentions BIGINT;
  email TEXT;
BEGIN
  IF p_user_id IS DISTINCT FROM public.app_current_user_id()
     OR coalesce(pg_catalog.current_setting('warden.account_erasure', true), '') <> p_user_id::text THEN
    RAISE EXCEPTION 'account_erasure_begin must run first, for this account' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_pseudonym !~ '^deleted-user-[0-9a-f]{12}$' THEN
    RAISE EXCEPTION 'not a pseudonym: %', p_pseudonym USING ERRCODE = 'check_violation';
  END IF;
  SELECT u.email INTO STRICT email FROM public.users u WHERE u.id = p_user_id;
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('audit_events:' || p_workspace_id::text, 0));
  PERFORM pg_catalog.set_config('app.workspace_id', p_workspace_id::text, true);
  SELECT min(e.seq), count(*) FILTER (WHERE e.actor_id = p_user_id), count(*) FILTER (WHERE pg_catalog.strpos(e.metadata::text, pg_catalog.to_jsonb(email)::text) > 0)
    INTO first_seq, relabelled, mentions
    FROM public.audit_events e WHERE e.workspace_id = p_workspace_id AND (e.actor_id = p_user_id OR pg_catalog.strpos(e.metadata::text, pg_catalog.to_jsonb(email)::text) > 0);
  SELECT e.seq, e.hash INTO head_seq, head_hash FROM public.audit_events e WHERE e.workspace_id = p_workspace_id ORDER BY e.seq DESC LIMIT 1;
  RETURN QUERY
    SELECT e.seq - coalesce(first_seq, e.seq) + 1, e.seq, e.prev_hash, e.hash, e.key_id, e.id,
           (extract(epoch FROM e.occurred_at) * 1000)::bigint, e.actor_type, e.actor_id, e.actor_label, e.action,
           e.target_type, e.target_id, e.ip, e.user_agent, e.request_id, e.client_request_id,
           CASE WHEN pg_catalog.strpos(e.metadata::text, pg_catalog.to_jsonb(email)::text) > 0 THEN pg_catalog.replace(e.metadata::text, pg_catalog.to_jsonb(email)::text, pg_catalog.to_jsonb(p_pseudonym)::text)::jsonb::text ELSE e.metadata::text END
      FROM public.audit_events e
     WHERE e.workspace_id = p_workspace_id AND first_seq IS NOT NULL AND e.seq >= first_seq
    UNION ALL
    SELECT 0, coalesce(head_seq, 0) + 1, coalesce(head_hash, pg_catalog.repeat('0', 64)), NULL, NULL, pg_catalog.gen_random_uuid(),
           (extract(epoch FROM public.audit_event_time(NULL)) * 1000)::bigint, 'system', NULL, 'account erasure', 'account.erased',
           NULL, NULL, NULL, NULL, NULL, NULL,
           pg_catalog.jsonb_build_object('events_relabelled', relabelled, 'mentions_replaced', mentions, 'from_seq', first_seq)::text
     ORDER BY 1;
  PERFORM pg_catalog.set_config('app.workspace_id', coalesce(previous, ''), true);
END
$$;

-- Step three, per workspace: writes the re-chained events and appends the
-- account.erased event. Only what erasure changes may change: the person's events
-- get the pseudonym and lose the person's id, every event from the first of them
-- gets its new link and hash, and an event whose metadata names the person's email
-- (an invitation to them) gets the pseudonym there; every other column is left as it was. Which events
-- those are is decided here, from the rows, not from the caller.
CREATE FUNCTION public.account_erasure_rechain(p_user_id UUID, p_workspace_id UUID, p_pseudonym TEXT, p_events JSONB, p_closing JSONB)
  RETURNS INTEGER
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  previous TEXT := pg_catalog.current_setting('app.workspace_id', true);
  first_seq BIGINT;
  relabelled BIGINT;
  mentions BIGINT;
  email TEXT;
  expected BIGINT;
  updated INTEGER := 0;
BEGIN
  IF p_user_id IS DISTINCT FROM public.app_current_user_id()
     OR coalesce(pg_catalog.current_setting('warden.account_erasure', true), '') <> p_user_id::text THEN
    RAISE EXCEPTION 'account_erasure_begin must run first, for this account' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_pseudonym !~ '^deleted-user-[0-9a-f]{12}$' THEN
    RAISE EXCEPTION 'not a pseudonym: %', p_pseudonym USING ERRCODE = 'check_violation';
  END IF;
  SELECT u.email INTO STRICT email FROM public.users u WHERE u.id = p_user_id;
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('audit_events:' || p_workspace_id::text, 0));
  PERFORM pg_catalog.set_config('app.workspace_id', p_workspace_id::text, true);
  SELECT min(e.seq), count(*) FILTER (WHERE e.actor_id = p_user_id), count(*) FILTER (WHERE pg_catalog.strpos(e.metadata::text, pg_catalog.to_jsonb(email)::text) > 0)
    INTO first_seq, relabelled, mentions
    FROM public.audit_events e WHERE e.workspace_id = p_workspace_id AND (e.actor_id = p_user_id OR pg_catalog.strpos(e.metadata::text, pg_catalog.to_jsonb(email)::text) > 0);
  SELECT count(*) INTO expected FROM public.audit_events e WHERE e.workspace_id = p_workspace_id AND e.seq >= first_seq;
  IF coalesce(pg_catalog.jsonb_array_length(p_events), 0) <> expected
     OR EXISTS (SELECT 1 FROM pg_catalog.jsonb_array_elements(p_events) x
                 WHERE NOT EXISTS (SELECT 1 FROM public.audit_events e WHERE e.workspace_id = p_workspace_id
                                      AND e.id = (x ->> 'id')::uuid AND e.seq = (x ->> 'seq')::bigint AND e.seq >= first_seq)) THEN
    RAISE EXCEPTION 'the re-chained events of workspace % are not its events from #%', p_workspace_id, first_seq USING ERRCODE = 'serialization_failure';
  END IF;
  IF expected > 0 THEN
    PERFORM pg_catalog.set_config('warden.audit_rewrite', p_workspace_id::text, true);
    UPDATE public.audit_events e
       SET actor_id = CASE WHEN e.actor_id = p_user_id THEN NULL ELSE e.actor_id END,
           actor_label = CASE WHEN e.actor_id = p_user_id THEN p_pseudonym ELSE e.actor_label END,
           metadata = CASE WHEN pg_catalog.strpos(e.metadata::text, pg_catalog.to_jsonb(email)::text) > 0 THEN pg_catalog.replace(e.metadata::text, pg_catalog.to_jsonb(email)::text, pg_catalog.to_jsonb(p_pseudonym)::text)::jsonb ELSE e.metadata END,
           prev_hash = x ->> 'prev_hash', hash = x ->> 'hash', key_id = x ->> 'key_id'
      FROM pg_catalog.jsonb_array_elements(p_events) x
     WHERE e.workspace_id = p_workspace_id AND e.id = (x ->> 'id')::uuid;
    GET DIAGNOSTICS updated = ROW_COUNT;
    PERFORM pg_catalog.set_config('warden.audit_rewrite', '', true);
  END IF;
  -- The closing event, through the chain guard like every insert.
  INSERT INTO public.audit_events (id, workspace_id, occurred_at, actor_type, actor_id, actor_label, action, metadata, seq, prev_hash, hash, key_id)
  VALUES ((p_closing ->> 'id')::uuid, p_workspace_id, public.audit_event_time(NULL), 'system', NULL, 'account erasure', 'account.erased',
          pg_catalog.jsonb_build_object('events_relabelled', relabelled, 'mentions_replaced', mentions, 'from_seq', first_seq),
          (p_closing ->> 'seq')::bigint, p_closing ->> 'prev_hash', p_closing ->> 'hash', p_closing ->> 'key_id');
  PERFORM pg_catalog.set_config('app.workspace_id', coalesce(previous, ''), true);
  RETURN relabelled;
END
$$;

-- Step four: refuses if a log still names the person (a workspace skipped), removes
-- their personal log, relabels receipts they signed, and deletes the account, which
-- takes their memberships, sessions, MFA state and recovery codes with it (cascades).
CREATE FUNCTION public.account_erasure_finish(p_user_id UUID, p_pseudonym TEXT) RETURNS JSONB
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  n_events BIGINT;
  n_memberships BIGINT;
  n_sessions BIGINT;
  n_users BIGINT;
BEGIN
  IF p_user_id IS DISTINCT FROM public.app_current_user_id()
     OR coalesce(pg_catalog.current_setting('warden.account_erasure', true), '') <> p_user_id::text THEN
    RAISE EXCEPTION 'account_erasure_begin must run first, for this account' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF EXISTS (SELECT 1 FROM public.audit_events e WHERE e.actor_id = p_user_id) THEN
    RAISE EXCEPTION 'audit events still name account %', p_user_id USING ERRCODE = 'serialization_failure';
  END IF;
  DELETE FROM public.account_events a WHERE a.user_id = p_user_id;
  GET DIAGNOSTICS n_events = ROW_COUNT;
  UPDATE public.workspace_deletion_receipts SET deleted_by_user_id = NULL, deleted_by_label = p_pseudonym WHERE deleted_by_user_id = p_user_id;
  SELECT count(*) INTO n_memberships FROM public.memberships m WHERE m.user_id = p_user_id;
  SELECT count(*) INTO n_sessions FROM public.sessions s WHERE s.user_id = p_user_id;
  DELETE FROM public.users u WHERE u.id = p_user_id;
  GET DIAGNOSTICS n_users = ROW_COUNT;
  PERFORM pg_catalog.set_config('warden.account_erasure', '', true);
  RETURN pg_catalog.jsonb_build_object('users', n_users, 'memberships', n_memberships, 'sessions', n_sessions, 'account_events', n_events);
END
$$;

REVOKE EXECUTE ON FUNCTION public.audit_rewrite_permitted(UUID), public.account_events_erasure_permitted(UUID),
  public.delete_workspace(UUID, UUID, TEXT, TEXT), public.account_erasure_begin(UUID), public.account_erasure_chain(UUID, UUID, TEXT),
  public.account_erasure_rechain(UUID, UUID, TEXT, JSONB, JSONB), public.account_erasure_finish(UUID, TEXT) FROM PUBLIC;
-- The trigger's WHEN runs as whoever writes: the app role needs to evaluate it (and is refused anyway).
GRANT EXECUTE ON FUNCTION public.audit_rewrite_permitted(UUID), public.account_events_erasure_permitted(UUID) TO warden_app;
GRANT EXECUTE ON FUNCTION public.delete_workspace(UUID, UUID, TEXT, TEXT), public.account_erasure_begin(UUID), public.account_erasure_chain(UUID, UUID, TEXT),
  public.account_erasure_rechain(UUID, UUID, TEXT, JSONB, JSONB), public.account_erasure_finish(UUID, TEXT) TO warden_app;
