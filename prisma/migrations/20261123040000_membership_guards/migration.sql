-- A workspace never commits without an owner: the last owner cannot be demoted,
-- removed or leave, whatever path (or how many transactions at once) tries it.
-- The domain functions check first and say why; this trigger is the guarantee.

-- One lock per workspace for changes to its people. The app takes it before
-- reading the actor's membership (lib/members/serialize-member-changes.ts); the
-- trigger takes it again (re-entrant) so that two commits cannot both count the
-- other's owner as still there.
CREATE FUNCTION public.memberships_keep_an_owner() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
AS $$
BEGIN
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('warden.members:' || OLD.workspace_id::text, 0));
  -- Deleting a whole workspace cascades to its memberships: nothing is left to manage.
  IF NOT EXISTS (SELECT 1 FROM public.workspaces WHERE id = OLD.workspace_id) THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.memberships WHERE workspace_id = OLD.workspace_id AND role = 'owner') THEN
    RAISE EXCEPTION 'workspace % would have no owner', OLD.workspace_id
      USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'memberships_keep_an_owner';
  END IF;
  RETURN NULL;
END
$$;

-- Deferred to the commit: a transfer of ownership passes through no intermediate check,
-- and the count is taken after every change of the transaction, under the lock.
CREATE CONSTRAINT TRIGGER memberships_keep_an_owner
  AFTER UPDATE OR DELETE ON public.memberships
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (OLD.role = 'owner')
  EXECUTE FUNCTION public.memberships_keep_an_owner();
