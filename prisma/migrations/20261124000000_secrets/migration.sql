-- Secrets: per-workspace environments, envelope-encrypted values in immutable
-- versions, and the data keys those values are sealed with.
--
-- Key hierarchy: WARDEN_MASTER_KEY (the environment, never the database) wraps one
-- random 256-bit data key per workspace (workspace_data_keys.wrapped_key, with the
-- wrapping key's fingerprint beside it); each value is sealed with its workspace's
-- data key and associated data naming the workspace, the secret and the version
-- (lib/secrets/secret-cipher.ts). No plaintext and no unwrapped key is ever stored.

CREATE TABLE public.environments (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "workspace_id" UUID NOT NULL,
  "name" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "environments_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "environments_name_format" CHECK ("name" ~ '^[a-z][a-z0-9-]{0,31}$'),
  CONSTRAINT "environments_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES public.workspaces("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "environments_workspace_id_name_key" ON public.environments("workspace_id", "name");
-- Lets secrets and API keys reference an environment of their own workspace only.
CREATE UNIQUE INDEX "environments_id_workspace_id_key" ON public.environments("id", "workspace_id");

-- Every workspace starts with the same three environments, however it is created
-- (setup, the demo loader, or later the workspace form). The workspace's insert
-- already runs in its own tenant context, which the environments' policy checks.
CREATE FUNCTION public.workspaces_default_environments() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  INSERT INTO public.environments ("workspace_id", "name")
    VALUES (NEW.id, 'production'), (NEW.id, 'staging'), (NEW.id, 'development');
  RETURN NULL;
END
$$;
CREATE TRIGGER "workspaces_default_environments" AFTER INSERT ON public.workspaces
  FOR EACH ROW EXECUTE FUNCTION public.workspaces_default_environments();

-- Existing workspaces get theirs too. The owner is held to RLS (FORCE), so the
-- workspaces' is lifted for this one block and each insert runs in its context.
ALTER TABLE public.workspaces NO FORCE ROW LEVEL SECURITY;
DO $$
DECLARE w UUID;
BEGIN
  FOR w IN SELECT "id" FROM public.workspaces LOOP
    PERFORM set_config('app.workspace_id', w::text, true);
    INSERT INTO public.environments ("workspace_id", "name")
      VALUES (w, 'production'), (w, 'staging'), (w, 'development') ON CONFLICT DO NOTHING;
  END LOOP;
  PERFORM set_config('app.workspace_id', '', true);
END
$$;
ALTER TABLE public.workspaces FORCE ROW LEVEL SECURITY;

CREATE TABLE public.workspace_data_keys (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "workspace_id" UUID NOT NULL,
  -- The data key sealed by the key provider (lib/crypto/key-provider.ts).
  "wrapped_key" TEXT NOT NULL,
  "kek_fingerprint" TEXT NOT NULL,
  -- Values sealed with this key so far: a key is retired long before AES-GCM's
  -- limit for random 96-bit nonces (lib/secrets/data-keys.ts).
  "encryptions" BIGINT NOT NULL DEFAULT 0,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "retired_at" TIMESTAMPTZ(3),
  CONSTRAINT "workspace_data_keys_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "workspace_data_keys_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES public.workspaces("id") ON DELETE CASCADE
);
-- One key seals new values per workspace; retired ones still open older versions.
CREATE UNIQUE INDEX "workspace_data_keys_one_active" ON public.workspace_data_keys("workspace_id") WHERE "retired_at" IS NULL;
CREATE UNIQUE INDEX "workspace_data_keys_id_workspace_id_key" ON public.workspace_data_keys("id", "workspace_id");
CREATE INDEX "workspace_data_keys_kek_fingerprint_idx" ON public.workspace_data_keys("kek_fingerprint");

CREATE TABLE public.secrets (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "workspace_id" UUID NOT NULL,
  "environment_id" UUID NOT NULL,
  "name" TEXT NOT NULL,
  "description" TEXT NOT NULL DEFAULT '',
  "rotation_interval_days" INTEGER,
  "expires_at" TIMESTAMPTZ(3),
  "current_version" INTEGER NOT NULL DEFAULT 1,
  -- Bumped by every change (value or details): an edit names the revision it saw.
  "revision" INTEGER NOT NULL DEFAULT 1,
  "value_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "created_by_id" UUID,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_by_id" UUID,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "last_resolved_at" TIMESTAMPTZ(3),
  "last_resolved_by_key_id" UUID,
  "deleted_at" TIMESTAMPTZ(3),
  "deleted_by_id" UUID,
  CONSTRAINT "secrets_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "secrets_name_format" CHECK ("name" ~ '^[A-Z_][A-Z0-9_]*$' AND length("name") <= 128),
  CONSTRAINT "secrets_description_length" CHECK (length("description") <= 500),
  CONSTRAINT "secrets_rotation_interval_days_range" CHECK ("rotation_interval_days" BETWEEN 1 AND 3650),
  CONSTRAINT "secrets_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES public.workspaces("id") ON DELETE CASCADE,
  CONSTRAINT "secrets_environment_fkey" FOREIGN KEY ("environment_id", "workspace_id") REFERENCES public.environments("id", "workspace_id"),
  CONSTRAINT "secrets_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES public.users("id") ON DELETE SET NULL,
  CONSTRAINT "secrets_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES public.users("id") ON DELETE SET NULL,
  CONSTRAINT "secrets_deleted_by_id_fkey" FOREIGN KEY ("deleted_by_id") REFERENCES public.users("id") ON DELETE SET NULL,
  CONSTRAINT "secrets_last_resolved_by_key_id_fkey" FOREIGN KEY ("last_resolved_by_key_id") REFERENCES public.api_keys("id") ON DELETE SET NULL
);
-- A name is unique per environment among live secrets; a deleted one keeps its
-- name until it is restored (refused if the name was taken meanwhile) or purged.
CREATE UNIQUE INDEX "secrets_workspace_id_environment_id_name_live_key" ON public.secrets("workspace_id", "environment_id", "name") WHERE "deleted_at" IS NULL;
CREATE UNIQUE INDEX "secrets_id_workspace_id_key" ON public.secrets("id", "workspace_id");
CREATE INDEX "secrets_workspace_id_name_idx" ON public.secrets("workspace_id", "name");
CREATE INDEX "secrets_workspace_id_updated_at_idx" ON public.secrets("workspace_id", "updated_at");
CREATE INDEX "secrets_deleted_at_idx" ON public.secrets("deleted_at") WHERE "deleted_at" IS NOT NULL;

CREATE TABLE public.secret_versions (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "workspace_id" UUID NOT NULL,
  "secret_id" UUID NOT NULL,
  "version" INTEGER NOT NULL,
  -- s1.<nonce>.<ciphertext>.<tag>; NULL once the version is destroyed.
  "ciphertext" TEXT,
  "data_key_id" UUID NOT NULL,
  "created_by_id" UUID,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  -- Set when this version was written by a rollback: the version it copies.
  "rolled_back_from" INTEGER,
  "destroyed_at" TIMESTAMPTZ(3),
  "destroyed_by_id" UUID,
  CONSTRAINT "secret_versions_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "secret_versions_destroyed_has_no_value" CHECK (("ciphertext" IS NULL) = ("destroyed_at" IS NOT NULL)),
  CONSTRAINT "secret_versions_secret_fkey" FOREIGN KEY ("secret_id", "workspace_id") REFERENCES public.secrets("id", "workspace_id") ON DELETE CASCADE,
  -- Checked at commit: deleting a workspace cascades to its data keys and, through
  -- its secrets, to these versions, in an order PostgreSQL does not promise.
  CONSTRAINT "secret_versions_data_key_fkey" FOREIGN KEY ("data_key_id", "workspace_id") REFERENCES public.workspace_data_keys("id", "workspace_id") DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT "secret_versions_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES public.users("id") ON DELETE SET NULL,
  CONSTRAINT "secret_versions_destroyed_by_id_fkey" FOREIGN KEY ("destroyed_by_id") REFERENCES public.users("id") ON DELETE SET NULL
);
CREATE UNIQUE INDEX "secret_versions_secret_id_version_key" ON public.secret_versions("secret_id", "version");
CREATE INDEX "secret_versions_workspace_id_idx" ON public.secret_versions("workspace_id");
CREATE INDEX "secret_versions_data_key_id_idx" ON public.secret_versions("data_key_id");

-- A version is immutable: the one change allowed is destroying it (its value
-- wiped, who and when recorded), and the user references a deleted account clears.
CREATE FUNCTION public.secret_versions_immutable() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  IF NEW."id" IS DISTINCT FROM OLD."id" OR NEW."workspace_id" IS DISTINCT FROM OLD."workspace_id"
     OR NEW."secret_id" IS DISTINCT FROM OLD."secret_id" OR NEW."version" IS DISTINCT FROM OLD."version"
     OR NEW."data_key_id" IS DISTINCT FROM OLD."data_key_id" OR NEW."created_at" IS DISTINCT FROM OLD."created_at"
     OR NEW."rolled_back_from" IS DISTINCT FROM OLD."rolled_back_from"
     OR (NEW."created_by_id" IS DISTINCT FROM OLD."created_by_id" AND NEW."created_by_id" IS NOT NULL)
     OR (NEW."ciphertext" IS DISTINCT FROM OLD."ciphertext" AND NEW."ciphertext" IS NOT NULL)
     OR (OLD."destroyed_at" IS NOT NULL AND NEW."destroyed_at" IS DISTINCT FROM OLD."destroyed_at")
     OR (NEW."destroyed_by_id" IS DISTINCT FROM OLD."destroyed_by_id" AND NEW."destroyed_by_id" IS NOT NULL AND OLD."destroyed_at" IS NOT NULL) THEN
    RAISE EXCEPTION 'secret versions are immutable: only destroying one is allowed' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "secret_versions_immutable" BEFORE UPDATE ON public.secret_versions
  FOR EACH ROW EXECUTE FUNCTION public.secret_versions_immutable();

-- The master keys that have wrapped data keys, by fingerprint (never the key):
-- written by `npm run keys:rotate`, read by start-up's check. Instance-level; the
-- app role has no access to it at all.
CREATE TABLE public.key_history (
  "fingerprint" TEXT NOT NULL,
  "provider" TEXT NOT NULL,
  "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "current_since" TIMESTAMPTZ(3),
  "retired_at" TIMESTAMPTZ(3),
  CONSTRAINT "key_history_pkey" PRIMARY KEY ("fingerprint")
);

-- An API key for the runtime may be held to one environment and to a list of names.
-- An empty list of names means any name (a list cannot be NULL in the generated client).
ALTER TABLE public.api_keys ADD COLUMN "environment_id" UUID, ADD COLUMN "secret_names" TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE public.api_keys ADD CONSTRAINT "api_keys_environment_fkey"
  FOREIGN KEY ("environment_id", "workspace_id") REFERENCES public.environments("id", "workspace_id");

-- Row-Level Security, FORCE as everywhere: the tenant context scopes every row.
ALTER TABLE public.environments ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.environments FORCE ROW LEVEL SECURITY;
CREATE POLICY "environments_workspace_isolation" ON public.environments
  USING ("workspace_id" = public.app_current_workspace_id())
  WITH CHECK ("workspace_id" = public.app_current_workspace_id());

ALTER TABLE public.workspace_data_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.workspace_data_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY "workspace_data_keys_workspace_isolation" ON public.workspace_data_keys
  USING ("workspace_id" = public.app_current_workspace_id())
  WITH CHECK ("workspace_id" = public.app_current_workspace_id());
-- `npm run keys:rotate` and start-up's fingerprint check run as the owner across
-- every workspace; the app role is never the owner nor a member of it.
CREATE POLICY "workspace_data_keys_owner_maintenance" ON public.workspace_data_keys TO CURRENT_USER
  USING (true) WITH CHECK (true);

ALTER TABLE public.secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.secrets FORCE ROW LEVEL SECURITY;
CREATE POLICY "secrets_workspace_read" ON public.secrets FOR SELECT
  USING ("workspace_id" = public.app_current_workspace_id());
CREATE POLICY "secrets_workspace_insert" ON public.secrets FOR INSERT
  WITH CHECK ("workspace_id" = public.app_current_workspace_id());
CREATE POLICY "secrets_workspace_update" ON public.secrets FOR UPDATE
  USING ("workspace_id" = public.app_current_workspace_id())
  WITH CHECK ("workspace_id" = public.app_current_workspace_id());
-- Deleting is soft; the only rows the app may remove are its workspace's secrets
-- deleted more than 30 days ago (the purge), whatever a query asks.
CREATE POLICY "secrets_purge_only" ON public.secrets FOR DELETE
  USING ("workspace_id" = public.app_current_workspace_id() AND "deleted_at" < CURRENT_TIMESTAMP - INTERVAL '30 days');
-- The purge job asks which workspaces have something to purge (function below).
CREATE POLICY "secrets_owner_purge_scan" ON public.secrets FOR SELECT TO CURRENT_USER
  USING ("deleted_at" < CURRENT_TIMESTAMP - INTERVAL '30 days');

ALTER TABLE public.secret_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.secret_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY "secret_versions_workspace_isolation" ON public.secret_versions
  USING ("workspace_id" = public.app_current_workspace_id())
  WITH CHECK ("workspace_id" = public.app_current_workspace_id());

-- No policy and no grant: only the owner (keys:rotate, start-up) reads or writes it.
ALTER TABLE public.key_history ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION public.workspaces_with_purgeable_secrets() RETURNS SETOF UUID
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT DISTINCT "workspace_id" FROM public.secrets WHERE "deleted_at" < CURRENT_TIMESTAMP - INTERVAL '30 days'
$$;
REVOKE ALL ON FUNCTION public.workspaces_with_purgeable_secrets() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.workspaces_with_purgeable_secrets() TO warden_app;

GRANT SELECT, INSERT, UPDATE ON public.environments TO warden_app;
GRANT SELECT, INSERT ON public.workspace_data_keys TO warden_app;
GRANT UPDATE ("encryptions", "retired_at") ON public.workspace_data_keys TO warden_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.secrets TO warden_app;
GRANT SELECT, INSERT ON public.secret_versions TO warden_app;
GRANT UPDATE ("ciphertext", "destroyed_at", "destroyed_by_id") ON public.secret_versions TO warden_app;
