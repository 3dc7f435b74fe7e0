import { randomUUID } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import type { AuditEventInput } from "../../lib/audit/record-audit-event";

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
  const user = await owner.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, $2, 'not-a-real-hash') RETURNING id`, [ownerEmail, `Owner ${suffix}`]);
  const ws = await owner.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ($1, $2) RETURNING id`, [slug, slug]);
  await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')`, [ws.rows[0].id, user.rows[0].id]);
  await appendAuditEvents(owner, ws.rows[0].id, [
    { actor: { type: "user", id: user.rows[0].id, label: ownerEmail }, action: "workspace.created", context: { ip: null, userAgent: null, requestId: null } },
  ]);
  return { workspaceId: ws.rows[0].id, slug, ownerId: user.rows[0].id, ownerEmail };
}

/**
 * Events written as the owner, through the one writer (and its keyed chain), in a
 * transaction of their own with the workspace's setting, as the writer requires.
 * `occurredAt` backdates: honoured for the owner only.
 */
export async function appendAuditEvents(owner: pg.Client, workspaceId: string, events: Omit<AuditEventInput, "workspaceId">[]): Promise<void> {
  const { recordAuditEvents } = await import("../../lib/audit/record-audit-event");
  await owner.query("BEGIN");
  try {
    await owner.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
    await recordAuditEvents(
      owner,
      events.map((e) => ({ ...e, workspaceId })),
    );
    await owner.query("COMMIT");
  } catch (error) {
    await owner.query("ROLLBACK");
    throw error;
  }
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
