-- The workspaces that hold spend holds past their 10 minutes: the maintenance pass
-- charges them (lib/spend/sweep-expired-holds.ts) workspace by workspace, each under
-- its own RLS setting. Only ids cross the tenant boundary, never a hold.
CREATE FUNCTION public.workspaces_with_expired_holds() RETURNS SETOF UUID
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT DISTINCT "workspace_id" FROM public.spend_holds WHERE "state" = 'held' AND "expires_at" <= CURRENT_TIMESTAMP
$$;
REVOKE ALL ON FUNCTION public.workspaces_with_expired_holds() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.workspaces_with_expired_holds() TO warden_app;

-- Under an owner that is not a superuser, forced RLS hides every hold from the
-- function above: the owner may see exactly the rows it scans.
CREATE POLICY "spend_holds_owner_sweep_scan" ON public.spend_holds FOR SELECT TO CURRENT_USER
  USING ("state" = 'held' AND "expires_at" <= CURRENT_TIMESTAMP);
