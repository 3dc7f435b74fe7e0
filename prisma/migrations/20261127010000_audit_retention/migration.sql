-- Audit retention, and the scheduled cleanup of rows nobody reads any more.
--
-- * A workspace with audit_retention_days set loses the events older than its
--   window, oldest first, through public.audit_apply_retention only. What goes is
--   always a prefix of the chain and never its newest event (a chain keeps its
--   head: the next append links to it). The last removed event's seq and hash are
--   kept in audit_checkpoints, so verification starts from there: the first event
--   left must link to that hash at the next seq.
-- * The append-only trigger still refuses every UPDATE and DELETE except a DELETE
--   made by the log's owner (current_user: the retention function runs as its
--   definer) while the transaction names that workspace in warden.audit_retention,
--   of an event at or before the checkpoint the function has just written. The app
--   role can set the setting, but it has no DELETE on the log and is never the
--   owner, and the checkpoint is a table only the owner writes.
-- * Cleanup, the ages decided here rather than by the caller: sessions ended
--   (revoked or expired) more than 30 days ago, invitations expired more than 30
--   days ago, sign-in failures older than the lockout window (never less than 24
--   hours), settled spend holds (captured, voided, expired) older than 90 days.
-- * The listing functions return workspace ids only; the work is then done per
--   workspace with that workspace's RLS setting, as the secrets purge does.

CREATE TABLE public.audit_checkpoints (
    "workspace_id" UUID NOT NULL,
    "last_removed_seq" BIGINT NOT NULL,
    "last_removed_hash" TEXT NOT NULL,
    "removed_total" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("workspace_id"),
    CONSTRAINT "audit_checkpoints_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES public.workspaces("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "audit_checkpoints_values" CHECK ("last_removed_seq" > 0 AND "removed_total" >= 0 AND "last_removed_hash" ~ '^[0-9a-f]{64}$')
);

ALTER TABLE public.audit_checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.audit_checkpoints FORCE ROW LEVEL SECURITY;
-- Everyone (the owner included, FORCE) reads the checkpoint of the transaction's workspace.
CREATE POLICY "audit_checkpoints_workspace_read" ON public.audit_checkpoints FOR SELECT
  USING ("workspace_id" = public.app_current_workspace_id());
-- Only the owner writes it (inside audit_apply_retention), for that workspace.
CREATE POLICY "audit_checkpoints_owner_write" ON public.audit_checkpoints TO CURRENT_USER
  USING ("workspace_id" = public.app_current_workspace_id())
  WITH CHECK ("workspace_id" = public.app_current_workspace_id());
GRANT SELECT ON public.audit_checkpoints TO warden_app;

-- The listing functions run as the owner with no workspace setting; under FORCE
-- RLS an owner that is not a superuser sees nothing, so each gets a SELECT policy
-- for the owner alone, limited to the rows it scans (as secrets_owner_purge_scan).
CREATE POLICY "workspaces_owner_retention_scan" ON public.workspaces FOR SELECT TO CURRENT_USER
  USING ("audit_retention_days" IS NOT NULL);
CREATE POLICY "audit_events_owner_retention_scan" ON public.audit_events FOR SELECT TO CURRENT_USER
  USING ("occurred_at" < CURRENT_TIMESTAMP - INTERVAL '30 days');
CREATE POLICY "invitations_owner_cleanup_scan" ON public.invitations FOR SELECT TO CURRENT_USER
  USING ("expires_at" < CURRENT_TIMESTAMP - INTERVAL '30 days');
CREATE POLICY "spend_holds_owner_cleanup_scan" ON public.spend_holds FOR SELECT TO CURRENT_USER
  USING ("state" IN ('captured', 'voided', 'expired') AND coalesce("settled_at", "created_at") < CURRENT_TIMESTAMP - INTERVAL '90 days');

-- The guard of audit_events (UPDATE and DELETE). Not SECURITY DEFINER: current_user
-- is whoever runs the statement, which inside audit_apply_retention is its owner.
CREATE FUNCTION public.audit_events_guard_change() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND pg_catalog.current_setting('warden.audit_retention', true) = OLD.workspace_id::text
     AND (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = 'public.audit_events'::pg_catalog.regclass)
         = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)
     AND OLD.seq <= (SELECT k.last_removed_seq FROM public.audit_checkpoints k WHERE k.workspace_id = OLD.workspace_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
-- Same trigger name as before (others refer to it); only its function changes.
DROP TRIGGER "audit_events_no_update_delete" ON public.audit_events;
CREATE TRIGGER "audit_events_no_update_delete" BEFORE UPDATE OR DELETE ON public.audit_events
  FOR EACH ROW EXECUTE FUNCTION public.audit_events_guard_change();

-- Removes the workspace's events older than its window, under its chain lock (the
-- lock audit_event_begin and audit_event_append take, so no append interleaves),
-- and moves the checkpoint to the last removed event, in the caller's transaction.
-- What goes is the longest prefix of the chain whose events are all older than the
-- window (a late-committed event with an earlier time never opens a hole), and
-- never the head. A second run racing this one waits on the lock and then finds
-- nothing more to remove. Returns one row: removed now, and the checkpoint.
CREATE FUNCTION public.audit_apply_retention(p_workspace_id UUID)
  RETURNS TABLE (removed BIGINT, last_seq BIGINT, last_hash TEXT)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
#variable_conflict use_column
DECLARE
  days INTEGER;
  cutoff TIMESTAMPTZ;
  head_seq BIGINT;
  first_kept BIGINT;
  edge_seq BIGINT;
  edge_hash TEXT;
  n BIGINT;
BEGIN
  PERFORM public.audit_assert_workspace(p_workspace_id);
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('audit_events:' || p_workspace_id::text, 0));
  SELECT w.audit_retention_days INTO days FROM public.workspaces w WHERE w.id = p_workspace_id;
  IF days IS NOT NULL THEN
    cutoff := pg_catalog.transaction_timestamp() - pg_catalog.make_interval(days => days);
    SELECT max(e.seq) INTO head_seq FROM public.audit_events e WHERE e.workspace_id = p_workspace_id;
    SELECT min(e.seq) INTO first_kept FROM public.audit_events e WHERE e.workspace_id = p_workspace_id AND e.occurred_at >= cutoff;
    edge_seq := least(coalesce(first_kept, head_seq), head_seq) - 1;
    SELECT e.hash INTO edge_hash FROM public.audit_events e WHERE e.workspace_id = p_workspace_id AND e.seq = edge_seq;
  END IF;
  IF edge_hash IS NULL THEN
    RETURN QUERY SELECT 0::bigint, k.last_removed_seq, k.last_removed_hash FROM (SELECT 1) AS one
      LEFT JOIN public.audit_checkpoints k ON k.workspace_id = p_workspace_id;
    RETURN;
  END IF;
  INSERT INTO public.audit_checkpoints AS k (workspace_id, last_removed_seq, last_removed_hash, removed_total, updated_at)
  VALUES (p_workspace_id, edge_seq, edge_hash, 0, pg_catalog.transaction_timestamp())
  ON CONFLICT (workspace_id) DO UPDATE SET last_removed_seq = excluded.last_removed_seq, last_removed_hash = excluded.last_removed_hash,
    updated_at = excluded.updated_at;
  PERFORM pg_catalog.set_config('warden.audit_retention', p_workspace_id::text, true);
  DELETE FROM public.audit_events e WHERE e.workspace_id = p_workspace_id AND e.seq <= edge_seq;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM pg_catalog.set_config('warden.audit_retention', '', true);
  UPDATE public.audit_checkpoints k SET removed_total = k.removed_total + n WHERE k.workspace_id = p_workspace_id;
  RETURN QUERY SELECT n, edge_seq, edge_hash;
END
$$;

-- Workspaces with a window and an event older than it (ids only).
CREATE FUNCTION public.workspaces_with_expired_audit_events() RETURNS SETOF UUID
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT w."id" FROM public.workspaces w
   WHERE w."audit_retention_days" IS NOT NULL
     AND EXISTS (SELECT 1 FROM public.audit_events e
                  WHERE e."workspace_id" = w."id"
                    AND e."occurred_at" < CURRENT_TIMESTAMP - pg_catalog.make_interval(days => w."audit_retention_days"))
$$;

-- Workspaces holding invitations or settled holds past their age (ids only).
CREATE FUNCTION public.workspaces_with_stale_rows() RETURNS SETOF UUID
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT "workspace_id" FROM public.invitations WHERE "expires_at" < CURRENT_TIMESTAMP - INTERVAL '30 days'
  UNION
  SELECT "workspace_id" FROM public.spend_holds
   WHERE "state" IN ('captured', 'voided', 'expired') AND coalesce("settled_at", "created_at") < CURRENT_TIMESTAMP - INTERVAL '90 days'
$$;

-- One workspace's stale rows, in the caller's transaction for that workspace (RLS
-- holds the owner to it, FORCE). The Usage page reads 30 days of holds; 90 are kept.
CREATE FUNCTION public.workspace_cleanup(p_workspace_id UUID) RETURNS TABLE (invitations BIGINT, holds BIGINT)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  i BIGINT;
  h BIGINT;
BEGIN
  PERFORM public.audit_assert_workspace(p_workspace_id);
  DELETE FROM public.invitations WHERE "workspace_id" = p_workspace_id AND "expires_at" < CURRENT_TIMESTAMP - INTERVAL '30 days';
  GET DIAGNOSTICS i = ROW_COUNT;
  DELETE FROM public.spend_holds
   WHERE "workspace_id" = p_workspace_id AND "state" IN ('captured', 'voided', 'expired')
     AND coalesce("settled_at", "created_at") < CURRENT_TIMESTAMP - INTERVAL '90 days';
  GET DIAGNOSTICS h = ROW_COUNT;
  RETURN QUERY SELECT i, h;
END
$$;

-- Instance rows: sessions ended more than 30 days ago (their superseded tokens go
-- with them), and sign-in failures older than the longest lockout window the
-- server uses (p_failure_window_seconds), never younger than 24 hours.
CREATE FUNCTION public.instance_cleanup(p_failure_window_seconds INTEGER) RETURNS TABLE (sessions BIGINT, sign_in_failures BIGINT)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  s BIGINT;
  f BIGINT;
BEGIN
  DELETE FROM public.sessions
   WHERE coalesce("revoked_at", least("idle_expires_at", "absolute_expires_at")) < CURRENT_TIMESTAMP - INTERVAL '30 days';
  GET DIAGNOSTICS s = ROW_COUNT;
  DELETE FROM public.sign_in_failures
   WHERE "occurred_at" < CURRENT_TIMESTAMP - greatest(pg_catalog.make_interval(secs => coalesce(p_failure_window_seconds, 0)), INTERVAL '24 hours');
  GET DIAGNOSTICS f = ROW_COUNT;
  RETURN QUERY SELECT s, f;
END
$$;

REVOKE ALL ON FUNCTION public.audit_events_guard_change(), public.audit_apply_retention(UUID), public.workspaces_with_expired_audit_events(),
  public.workspaces_with_stale_rows(), public.workspace_cleanup(UUID), public.instance_cleanup(INTEGER) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.audit_apply_retention(UUID), public.workspaces_with_expired_audit_events(),
  public.workspaces_with_stale_rows(), public.workspace_cleanup(UUID), public.instance_cleanup(INTEGER) TO warden_app;
