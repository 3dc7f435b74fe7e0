import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { ownerClient, seedMember, seedWorkspace } from "../support/owner-db";
import { signInAs } from "../support/request-stub";
import { form } from "../support/form";
import { findAuditActors } from "../../lib/actions/audit/find-audit-actors";
import { idle } from "../../lib/actions/action-state";
import { getAuditLogView } from "../../lib/audit/get-audit-log-view";

// The audit page's actor filter finds members and keys as the person types,
// instead of listing everyone on every page (a workspace may have 10,000 members).

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const seedKey = async (workspaceId: string, name: string) =>
  (
    await owner.query<{ id: string; prefix: string }>(`INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes) VALUES ($1, $2, $3, $4, '{audit:read}') RETURNING id, prefix`, [
      workspaceId,
      name,
      `wdn_live_${randomBytes(4).toString("hex")}`,
      randomBytes(32).toString("hex"),
    ])
  ).rows[0];

async function find(slug: string, query: string) {
  const state = await findAuditActors(idle, form({ workspace: slug, query }));
  if (state.status !== "ok") throw new Error(JSON.stringify(state));
  return state.data;
}

describe("finding actors for the audit filter", () => {
  it("finds members by name or email and keys by name or prefix, in this workspace only, with % and _ taken literally", async () => {
    const ws = await seedWorkspace(owner, "actors");
    const other = await seedWorkspace(owner, "actors-other");
    const dev = await seedMember(owner, ws.workspaceId, "developer");
    await owner.query(`UPDATE users SET name = 'Zoë 100%_real' WHERE id = $1`, [dev.id]);
    const key = await seedKey(ws.workspaceId, "deploy bot");
    const outsider = await seedMember(owner, other.workspaceId, "developer");
    await owner.query(`UPDATE users SET name = 'Zoë outsider' WHERE id = $1`, [outsider.id]);
    await seedKey(other.workspaceId, "deploy elsewhere");
    await signInAs(owner, ws.ownerId);

    expect(await find(ws.slug, "zoë")).toEqual([{ value: `user:${dev.id}`, label: `Zoë 100%_real (${dev.email})`, kind: "member" }]);
    expect(await find(ws.slug, dev.email.toUpperCase())).toHaveLength(1);
    expect(await find(ws.slug, "100%_")).toHaveLength(1);
    // % and _ are not wildcards: "0%r" would match "100%_real" if % matched anything.
    expect(await find(ws.slug, "0%r")).toEqual([]);
    expect(await find(ws.slug, "deploy")).toEqual([{ value: `api_key:${key.id}`, label: `deploy bot (${key.prefix}…)`, kind: "api_key" }]);
    expect(await find(ws.slug, key.prefix.slice(-6))).toHaveLength(1);
    expect(await find(ws.slug, "outsider")).toEqual([]);
  });

  it("answers a few of each kind however many match", async () => {
    const ws = await seedWorkspace(owner, "actors-many");
    await owner.query(
      `WITH u AS (INSERT INTO users (email, name, password_hash) SELECT 'many-' || g || '-' || $2 || '@example.test', 'Many ' || g, 'x' FROM generate_series(1, 40) g RETURNING id)
       INSERT INTO memberships (workspace_id, user_id, role) SELECT $1, id, 'viewer' FROM u`,
      [ws.workspaceId, randomUUID().slice(0, 8)],
    );
    await signInAs(owner, ws.ownerId);
    const found = await find(ws.slug, "many");
    expect(found).toHaveLength(10);
    expect(found.every((f) => f.kind === "member")).toBe(true);
  });

  it("refuses a member who may not read the log, an empty search and control characters, with a clear answer", async () => {
    const ws = await seedWorkspace(owner, "actors-refused");
    const viewer = await seedMember(owner, ws.workspaceId, "viewer");
    await signInAs(owner, viewer.id);
    const refused = await findAuditActors(idle, form({ workspace: ws.slug, query: "owner" }));
    expect(refused).toMatchObject({ status: "error", code: "forbidden" });
    expect(JSON.stringify(refused)).not.toContain(ws.ownerEmail);

    await signInAs(owner, ws.ownerId);
    for (const query of ["   ", "a\u0000b", "x".repeat(101)]) {
      expect(await findAuditActors(idle, form({ workspace: ws.slug, query })), JSON.stringify(query)).toMatchObject({ status: "error", code: "invalid_input" });
    }
  });

  it("names the actor a filter holds, and no one else, on the page", async () => {
    const ws = await seedWorkspace(owner, "actors-page");
    const dev = await seedMember(owner, ws.workspaceId, "developer");
    const view = await getAuditLogView({ workspaceId: ws.workspaceId, filters: { actor: `user:${dev.id}` } });
    expect(view.actor).toEqual({ value: `user:${dev.id}`, label: `developer member (${dev.email})`, kind: "member" });
    expect((await getAuditLogView({ workspaceId: ws.workspaceId, filters: {} })).actor).toBeNull();
    // Someone no longer in the workspace (or never in it) is not named.
    expect((await getAuditLogView({ workspaceId: ws.workspaceId, filters: { actor: `user:${randomUUID()}` } })).actor).toBeNull();
  });
});
