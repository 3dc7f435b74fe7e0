-- Workspace settings for data protection, and the instance's operators.

-- Audit retention: NULL keeps events forever; otherwise events older than this
-- many days are removed by the daily retention pass (never fewer than 30 days).
ALTER TABLE public.workspaces ADD COLUMN "audit_retention_days" INTEGER;
ALTER TABLE public.workspaces ADD CONSTRAINT "workspaces_audit_retention_days_range"
  CHECK ("audit_retention_days" IS NULL OR "audit_retention_days" BETWEEN 30 AND 36500);

-- PII redaction: which kinds are redacted from what the runtime sends (none by default).
ALTER TABLE public.workspaces ADD COLUMN "pii_redaction" TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE public.workspaces ADD CONSTRAINT "workspaces_pii_redaction_kinds"
  CHECK ("pii_redaction" <@ ARRAY['email', 'ssn', 'phone', 'card']::TEXT[]);

-- A key's own redaction: when pii_redaction_override is set, the key's list replaces
-- the workspace's (tighter or looser); otherwise the workspace's applies.
ALTER TABLE public.api_keys ADD COLUMN "pii_redaction_override" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE public.api_keys ADD COLUMN "pii_redaction" TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE public.api_keys ADD CONSTRAINT "api_keys_pii_redaction_kinds"
  CHECK ("pii_redaction" <@ ARRAY['email', 'ssn', 'phone', 'card']::TEXT[]);

-- Operators run the instance: with WARDEN_WORKSPACE_CREATION=operators only they
-- create workspaces. The account made at first-run setup is one; so is the first
-- account of an instance that predates this column.
ALTER TABLE public.users ADD COLUMN "is_operator" BOOLEAN NOT NULL DEFAULT false;
UPDATE public.users SET "is_operator" = true
 WHERE "id" = (SELECT "id" FROM public.users WHERE NOT "is_demo" ORDER BY "created_at", "id" LIMIT 1);
