import { randomUUID } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

// Test fixtures are written as the database owner, which stands outside RLS,
// the way an operator would; the assertions then run as the application role.

export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

export const ownerClient = () => connect(inject("ownerUrl"));
export const appClient = () => connect(inject("appUrl"));

export type SeededWorkspace = { workspaceId: string; slug: string; ownerId: string; ownerEmail: string };

export async function seedWorkspace(owner: pg.Client, label = "ws"): Promise<SeededWorkspace> {
  const suffix = randomUUID().slice(0, 8);
  const slug = `${label}-${suffix}`;
  const ownerEmail = `owner-${suffix}@example.test`;
  const user = await owner.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, 'not-a-real-hash') RETURNING id`,
    [ownerEmail, `Owner ${suffix}`],
  );
  const ws = await owner.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ($1, $2) RETURNING id`, [slug, slug]);
  await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')`, [ws.rows[0].id, user.rows[0].id]);
  await owner.query(
    `INSERT INTO audit_events (workspace_id, actor_type, actor_id, action, metadata) VALUES ($1, 'user', $2, 'workspace.created', '{}')`,
    [ws.rows[0].id, user.rows[0].id],
  );
  return { workspaceId: ws.rows[0].id, slug, ownerId: user.rows[0].id, ownerEmail };
}

export const PASSWORD = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;

/** A member with a real Argon2id password (hashed once per test file). */
export async function seedMember(owner: pg.Client, workspaceId: string, role: string, password = PASSWORD) {
  const { hashPassword } = await import("../../lib/auth/password");
  passwordHash ??= hashPassword(PASSWORD);
  const hash = password === PASSWORD ? await passwordHash : await hashPassword(password);
  const email = `${role}-${randomUUID().slice(0, 8)}@example.test`;
  const user = await owner.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id`, [email, `${role} member`, hash]);
  await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)`, [workspaceId, user.rows[0].id, role]);
  return { id: user.rows[0].id, email };
}

export const context = (ip = "203.0.113.10") => ({ ip, userAgent: "vitest", requestId: `req-${randomUUID()}` });
