-- A sign-in attempt is reserved as a sign_in_failures row before its password or
-- code is evaluated (a success deletes its own row), so the per-address count is
-- read from the address's limit key: an IPv4 address, or an IPv6 client's /64.
-- `ip` keeps the address as seen, for operators.

ALTER TABLE "sign_in_failures" ADD COLUMN "ip_key" TEXT;
UPDATE "sign_in_failures" SET "ip_key" = "ip" WHERE "ip" IS NOT NULL;

DROP INDEX IF EXISTS "sign_in_failures_ip_occurred_at_idx";
CREATE INDEX "sign_in_failures_ip_key_occurred_at_idx" ON "sign_in_failures"("ip_key", "occurred_at");
