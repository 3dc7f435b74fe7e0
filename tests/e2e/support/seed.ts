import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "../../../lib/auth/password";
import { ownerDb } from "./state";

// Each spec seeds its own workspace and people (random emails and slug) straight
// into the database, so specs never share accounts, locks or counters and can run
// in parallel.

export type Role = "owner" | "admin" | "developer" | "editor" | "viewer";
export type SeededUser = { id: string; email: string; role: Role };
export type SeededWorkspace<K extends string> = {
  workspaceId: string;
  slug: string;
  name: string;
  password: string;
  users: Record<K, SeededUser>;
};

export const PASSWORD = "a long enough e2e passphrase";

// Argon2id is deliberately slow; one hash serves every user of this worker.
let passwordHash: Promise<string> | undefined;
const hashedPassword = () => (passwordHash ??= hashPassword(PASSWORD));

const suffix = () => randomUUID().slice(0, 8);

/** A workspace with one member per entry of `members` (name → role), all with PASSWORD. */
export async function seedWorkspace<K extends string>(members: Record<K, Role>, label = "e2e"): Promise<SeededWorkspace<K>> {
  const hash = await hashedPassword();
  const slug = `${label}-${suffix()}`;
  const name = `${label} ${slug.slice(-8)}`;
  const db = await ownerDb();
  try {
    const ws = await db.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ($1, $2) RETURNING id`, [name, slug]);
    const workspaceId = ws.rows[0].id;
    const users = {} as Record<K, SeededUser>;
    for (const [key, role] of Object.entries(members) as [K, Role][]) {
      const email = `${key}-${suffix()}@example.test`.toLowerCase();
      const user = await db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id`, [email, `${key} (${role})`, hash]);
      await db.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)`, [workspaceId, user.rows[0].id, role]);
      users[key] = { id: user.rows[0].id, email, role };
    }
    return { workspaceId, slug, name, password: PASSWORD, users };
  } finally {
    await db.end();
  }
}

/**
 * A client address of its own for one simulated client (sent as X-Forwarded-For),
 * from the IPv6 documentation prefix 2001:db8::/32: 64 random bits make a clash
 * between parallel specs, and so a shared rate-limit or failure counter, negligible
 * (the IPv4 TEST-NETs hold only 762 addresses).
 */
export function freshIp(): string {
  const groups = Array.from({ length: 4 }, () => randomBytes(2).toString("hex"));
  return `2001:db8:${groups.join(":")}::1`;
}

/** Rows and values from the owner connection, closed afterwards. */
export async function query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const db = await ownerDb();
  try {
    return (await db.query<T>(sql, params)).rows;
  } finally {
    await db.end();
  }
}
