import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import pg from "pg";

// The first owner proves they can read the server's terminal: start-up prints a
// one-time token and stores only its hash. Whoever reaches /setup first over the
// network without it cannot claim the instance.

export const SETUP_TOKEN_KEY = "setup_token_hash";

const digest = (token: string) => createHash("sha256").update(token.trim()).digest("hex");

export function setupTokenMatches(storedHash: string, presented: string): boolean {
  const a = Buffer.from(storedHash, "hex");
  const b = Buffer.from(digest(presented), "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Returns a fresh token while the instance has no user yet, else null. Runs as the owner at start-up. */
export async function issueSetupToken(ownerUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ exists: boolean }>("SELECT EXISTS (SELECT 1 FROM users) AS exists");
    if (rows[0].exists) {
      await client.query("DELETE FROM instance_settings WHERE key = $1", [SETUP_TOKEN_KEY]);
      return null;
    }
    const token = randomBytes(18).toString("base64url");
    await client.query(
      `INSERT INTO instance_settings (key, value, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [SETUP_TOKEN_KEY, digest(token)],
    );
    return token;
  } finally {
    await client.end();
  }
}
