-- Secret access windows: identical accesses (one key, one secret version) within
-- 60 seconds are collapsed into one `secret.accessed` event and a count, never
-- dropped. One row per key, secret and version holds its current window: the
-- request that opens a window writes the audit event (carrying the final count of
-- the window it closes, so the hash chain seals every count as soon as the next
-- window opens); requests inside an open window only increment the count, in the
-- resolution's transaction. Maintenance seals a long-closed window that no later
-- window has sealed (lib/secrets/seal-access-windows.ts), marking it sealed_at.

-- Lets a window reference a key of its own workspace only.
CREATE UNIQUE INDEX "api_keys_id_workspace_id_key" ON public.api_keys("id", "workspace_id");

CREATE TABLE public.secret_access_windows (
  "workspace_id" UUID NOT NULL,
  "api_key_id" UUID NOT NULL,
  "secret_id" UUID NOT NULL,
  "version" INTEGER NOT NULL,
  "environment" TEXT NOT NULL,
  "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "count" INTEGER NOT NULL DEFAULT 1,
  -- The final count of the window this one replaced (null: the first window).
  "previous_count" INTEGER,
  -- Set when maintenance wrote this window's count to the audit chain.
  "sealed_at" TIMESTAMPTZ(3),
  CONSTRAINT "secret_access_windows_pkey" PRIMARY KEY ("workspace_id", "api_key_id", "secret_id", "version"),
  CONSTRAINT "secret_access_windows_count_positive" CHECK ("count" >= 1),
  CONSTRAINT "secret_access_windows_secret_fkey" FOREIGN KEY ("secret_id", "workspace_id") REFERENCES public.secrets("id", "workspace_id") ON DELETE CASCADE,
  CONSTRAINT "secret_access_windows_api_key_fkey" FOREIGN KEY ("api_key_id", "workspace_id") REFERENCES public.api_keys("id", "workspace_id") ON DELETE CASCADE
);
CREATE INDEX "secret_access_windows_secret_id_workspace_id_idx" ON public.secret_access_windows("secret_id", "workspace_id");
CREATE INDEX "secret_access_windows_api_key_id_workspace_id_idx" ON public.secret_access_windows("api_key_id", "workspace_id");
CREATE INDEX "secret_access_windows_unsealed_idx" ON public.secret_access_windows("opened_at") WHERE "sealed_at" IS NULL AND "count" > 1;

ALTER TABLE public.secret_access_windows ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.secret_access_windows FORCE ROW LEVEL SECURITY;
CREATE POLICY "secret_access_windows_workspace_isolation" ON public.secret_access_windows
  USING ("workspace_id" = public.app_current_workspace_id())
  WITH CHECK ("workspace_id" = public.app_current_workspace_id());
-- The seal job asks which workspaces have a window to seal (function below).
CREATE POLICY "secret_access_windows_owner_seal_scan" ON public.secret_access_windows FOR SELECT TO CURRENT_USER
  USING ("sealed_at" IS NULL AND "count" > 1);

-- Workspaces with a window closed for more than 60 seconds (opened more than 120
-- seconds ago) whose count no audit event holds yet.
CREATE FUNCTION public.workspaces_with_unsealed_access_windows() RETURNS SETOF UUID
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT DISTINCT "workspace_id" FROM public.secret_access_windows
   WHERE "sealed_at" IS NULL AND "count" > 1 AND "opened_at" < CURRENT_TIMESTAMP - INTERVAL '120 seconds'
$$;
REVOKE ALL ON FUNCTION public.workspaces_with_unsealed_access_windows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.workspaces_with_unsealed_access_windows() TO warden_app;

GRANT SELECT, INSERT, UPDATE ON public.secret_access_windows TO warden_app;
