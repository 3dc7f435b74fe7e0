-- A session's token family: every token it has rotated away from, not only the
-- last one. A superseded token presented after the rotation grace is a stolen
-- copy whatever its generation, and revokes the session (session.reuse_detected).
-- The primary key makes a token superseded at most once: of two rotations racing
-- from the same token, only one can record it.
CREATE TABLE "session_superseded_tokens" (
    "token_hash" TEXT NOT NULL,
    "session_id" UUID NOT NULL,
    "superseded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "session_superseded_tokens_pkey" PRIMARY KEY ("token_hash"),
    CONSTRAINT "session_superseded_tokens_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "session_superseded_tokens_session_id_idx" ON "session_superseded_tokens"("session_id");

-- The generation each live session already knows about.
INSERT INTO "session_superseded_tokens" ("token_hash", "session_id", "superseded_at")
SELECT "previous_token_hash", "id", "rotated_at" FROM "sessions" WHERE "previous_token_hash" IS NOT NULL
ON CONFLICT DO NOTHING;

-- Rows are written once and read; they go with their session.
GRANT SELECT, INSERT, DELETE ON "session_superseded_tokens" TO warden_app;
