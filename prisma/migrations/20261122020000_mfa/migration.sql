-- TOTP multi-factor authentication: encrypted seeds, single-use recovery codes,
-- a pending second sign-in step, and workspace MFA and step-up policies.

ALTER TABLE "users" ADD COLUMN "mfa_secret_enc" TEXT;
ALTER TABLE "users" ADD COLUMN "mfa_pending_secret_enc" TEXT;
ALTER TABLE "users" ADD COLUMN "mfa_enabled_at" TIMESTAMPTZ(3);
-- The last TOTP time step accepted: a code at or before it is a replay.
ALTER TABLE "users" ADD COLUMN "mfa_last_time_step" BIGINT;

ALTER TABLE "sessions" ADD COLUMN "mfa_verified_at" TIMESTAMPTZ(3);

CREATE TABLE "mfa_recovery_codes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "code_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "used_at" TIMESTAMPTZ(3),
    CONSTRAINT "mfa_recovery_codes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "mfa_recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "mfa_recovery_codes_user_id_idx" ON "mfa_recovery_codes"("user_id");

CREATE TABLE "mfa_challenges" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "consumed_at" TIMESTAMPTZ(3),
    CONSTRAINT "mfa_challenges_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "mfa_challenges_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "mfa_challenges_token_hash_key" ON "mfa_challenges"("token_hash");

ALTER TABLE "workspaces" ADD COLUMN "mfa_policy" TEXT NOT NULL DEFAULT 'none';
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_mfa_policy_check" CHECK ("mfa_policy" IN ('none', 'admins', 'all'));
ALTER TABLE "workspaces" ADD COLUMN "step_up_required" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "workspaces" ADD COLUMN "step_up_window_minutes" INTEGER NOT NULL DEFAULT 10;
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_step_up_window_check" CHECK ("step_up_window_minutes" BETWEEN 1 AND 60);

GRANT SELECT, INSERT, UPDATE, DELETE ON "mfa_recovery_codes" TO warden_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON "mfa_challenges" TO warden_app;
