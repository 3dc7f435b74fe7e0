-- Members: invitations by single-use link, last activity for the members table,
-- and indexes that keep a 10,000-member workspace's table fast.

ALTER TABLE "users" ADD COLUMN "last_seen_at" TIMESTAMPTZ(3);

CREATE TABLE "invitations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "invited_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "invitations_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "invitations_invited_by_id_fkey" FOREIGN KEY ("invited_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "invitations_email_lowercase" CHECK ("email" = lower("email"))
);
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");
-- One open invitation per address and workspace.
CREATE UNIQUE INDEX "invitations_open_email_key" ON "invitations"("workspace_id", "email") WHERE "accepted_at" IS NULL AND "revoked_at" IS NULL;
CREATE INDEX "invitations_workspace_id_idx" ON "invitations"("workspace_id");

ALTER TABLE "invitations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "invitations" FORCE ROW LEVEL SECURITY;
CREATE POLICY "invitations_workspace_isolation" ON "invitations"
  USING ("workspace_id" = app_current_workspace_id())
  WITH CHECK ("workspace_id" = app_current_workspace_id());

CREATE INDEX "memberships_workspace_id_role_idx" ON "memberships"("workspace_id", "role");
CREATE INDEX "memberships_workspace_id_created_at_idx" ON "memberships"("workspace_id", "created_at");

GRANT SELECT, INSERT, UPDATE, DELETE ON "invitations" TO warden_app;
