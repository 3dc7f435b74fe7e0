-- Account recovery: one-time password reset links, and the security notices a
-- person sees in the app when their password, MFA or sessions change.

-- A reset link's token is shown once; only its SHA-256 is kept. A link belongs to
-- the person's account, like their sessions, not to a tenant: issuing one revokes
-- the person's open link whichever workspace issued it. A link issued by a
-- workspace's owner or admin records that workspace (its audit log records the
-- issue and the use) as provenance; one made by an operator on the server records none.
CREATE TABLE "password_resets" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "issued_in_workspace_id" UUID,
    "issued_by_id" UUID,
    "clear_mfa" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "password_resets_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "password_resets_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "password_resets_issued_in_workspace_id_fkey" FOREIGN KEY ("issued_in_workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "password_resets_issued_by_id_fkey" FOREIGN KEY ("issued_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "password_resets_token_hash_key" ON "password_resets"("token_hash");
-- At most one open link per person: issuing a new one revokes the last, and two
-- issued at once cannot both stay open.
CREATE UNIQUE INDEX "password_resets_open_user_key" ON "password_resets"("user_id") WHERE "used_at" IS NULL AND "revoked_at" IS NULL;

CREATE TABLE "security_notices" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "detail" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seen_at" TIMESTAMPTZ(3),
    CONSTRAINT "security_notices_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "security_notices_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "security_notices_kind_format" CHECK ("kind" ~ '^[a-z_]+$')
);
-- Every page load asks for the unseen ones.
CREATE INDEX "security_notices_user_id_unseen_idx" ON "security_notices"("user_id", "created_at") WHERE "seen_at" IS NULL;

-- Rows of one person, like sessions: every query names the user it acts for.
GRANT SELECT, INSERT, UPDATE ON "password_resets" TO warden_app;
GRANT SELECT, INSERT, UPDATE ON "security_notices" TO warden_app;
