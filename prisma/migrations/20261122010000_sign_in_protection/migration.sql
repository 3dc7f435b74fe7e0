-- Brute-force protection: failed sign-ins counted per account and per address in a
-- sliding window, and a lock on the account that owners and admins can lift.

ALTER TABLE "users" ADD COLUMN "locked_until" TIMESTAMPTZ(3);

CREATE TABLE "sign_in_failures" (
    "id" BIGSERIAL NOT NULL,
    "user_id" UUID,
    "ip" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "sign_in_failures_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sign_in_failures_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "sign_in_failures_user_id_occurred_at_idx" ON "sign_in_failures"("user_id", "occurred_at");
CREATE INDEX "sign_in_failures_ip_occurred_at_idx" ON "sign_in_failures"("ip", "occurred_at");

GRANT SELECT, INSERT, DELETE ON "sign_in_failures" TO warden_app;
GRANT USAGE ON SEQUENCE "sign_in_failures_id_seq" TO warden_app;
