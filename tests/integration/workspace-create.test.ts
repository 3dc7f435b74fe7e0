import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { ownerClient, seedWorkspace } from "../support/owner-db";
import { signInAs } from "../support/request-stub";
import { idle } from "../../lib/actions/action-state";

// Creating a workspace from the switcher: the creator becomes its owner, the
// creation is audited in the new workspace's own log, a taken slug is a field
// error decided by the unique index (two racing creations: exactly one wins), and
// WARDEN_WORKSPACE_CREATION=operators leaves it to operators, on the server.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const settings = { creation: "anyone" as "anyone" | "operators" };
vi.mock("../../lib/config", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/config")>();
  return { ...real, getConfig: () => ({ ...real.getConfig(), WARDEN_WORKSPACE_CREATION: settings.creation }) };
});
const { createWorkspace } = await import("../../lib/actions/workspaces/create-workspace");
const { mayCreateWorkspace } = await import("../../lib/workspaces/may-create-workspace");

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());
beforeEach(() => {
  settings.creation = "anyone";
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
const freshSlug = () => `new-${randomUUID().slice(0, 8)}`;
const workspaceBySlug = async (slug: string) => (await owner.query(`SELECT id::text, name, slug, time_zone FROM workspaces WHERE slug = $1`, [slug])).rows;
const countByName = async (name: string) => (await owner.query(`SELECT count(*)::int AS n FROM workspaces WHERE name = $1`, [name])).rows[0].n as number;

async function signedInUser() {
  const ws = await seedWorkspace(owner, "creator");
  await signInAs(owner, ws.ownerId);
  return { userId: ws.ownerId, email: ws.ownerEmail, home: ws };
}

describe("creating a workspace", () => {
  it("makes the creator its owner and audits workspace.created and member.added in the new workspace's log", async () => {
    const { userId, email } = await signedInUser();
    const slug = freshSlug();
    const result = await createWorkspace(idle, form({ name: "Acme Research", slug: ` ${slug.toUpperCase()} `, timeZone: "Europe/Paris" }));
    expect(result, JSON.stringify(result)).toMatchObject({ status: "ok", data: { slug } });
    const [ws] = await workspaceBySlug(slug);
    expect(ws).toMatchObject({ name: "Acme Research", slug, time_zone: "Europe/Paris" });
    const members = await owner.query(`SELECT user_id::text, role FROM memberships WHERE workspace_id = $1`, [ws.id]);
    expect(members.rows).toEqual([{ user_id: userId, role: "owner" }]);
    const events = await owner.query(`SELECT action, actor_id::text, actor_label, target_type, target_id::text, metadata FROM audit_events WHERE workspace_id = $1 ORDER BY seq`, [ws.id]);
    expect(events.rows).toEqual([
      {
        action: "workspace.created",
        actor_id: userId,
        actor_label: email,
        target_type: "workspace",
        target_id: ws.id,
        metadata: { name: "Acme Research", slug, time_zone: "Europe/Paris", via: "console" },
      },
      { action: "member.added", actor_id: userId, actor_label: email, target_type: "user", target_id: userId, metadata: { after: { role: "owner" } } },
    ]);
  });

  it("refuses a taken slug on the slug field and creates nothing", async () => {
    const { userId, home } = await signedInUser();
    const name = `Taken ${randomUUID()}`;
    const result = await createWorkspace(idle, form({ name, slug: home.slug, timeZone: "UTC" }));
    expect(result).toMatchObject({ status: "error", code: "conflict", fieldErrors: { slug: [expect.stringContaining(`/w/${home.slug} is taken`)] } });
    expect(await countByName(name)).toBe(0);
    const memberships = await owner.query(`SELECT count(*)::int AS n FROM memberships WHERE user_id = $1`, [userId]);
    expect(memberships.rows[0].n).toBe(1);
  });

  it("two creations of one slug at once: exactly one workspace, the other told the slug is taken", async () => {
    await signedInUser();
    const slug = freshSlug();
    const results = await Promise.all([createWorkspace(idle, form({ name: "Racer A", slug, timeZone: "UTC" })), createWorkspace(idle, form({ name: "Racer B", slug, timeZone: "UTC" }))]);
    expect(results.map((r) => r.status).sort()).toEqual(["error", "ok"]);
    expect(results.find((r) => r.status === "error")).toMatchObject({ code: "conflict", fieldErrors: { slug: [expect.any(String)] } });
    const rows = await workspaceBySlug(slug);
    expect(rows).toHaveLength(1);
    const events = await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'workspace.created' AND metadata->>'slug' = $1`, [slug]);
    expect(events.rows[0].n).toBe(1);
  });

  it("checks the name, the slug's form and the time zone on their fields", async () => {
    await signedInUser();
    const result = await createWorkspace(idle, form({ name: "", slug: "-Bad Slug-", timeZone: "Mars/Olympus" }));
    expect(result).toMatchObject({ status: "error", code: "invalid_input" });
    const errors = (result as { fieldErrors: Record<string, string[]> }).fieldErrors;
    expect(Object.keys(errors).sort()).toEqual(["name", "slug", "timeZone"]);
  });

  it("refuses a caller without a live session", async () => {
    const { cookieJar } = await import("../support/request-stub");
    cookieJar.clear();
    const slug = freshSlug();
    const result = await createWorkspace(idle, form({ name: "Nobody's", slug, timeZone: "UTC" }));
    expect(result).toMatchObject({ status: "error", code: "unauthenticated" });
    expect(await workspaceBySlug(slug)).toHaveLength(0);
  });
});

describe("WARDEN_WORKSPACE_CREATION=operators", () => {
  it("refuses a person who is not an operator, on the server, and creates nothing", async () => {
    const { userId } = await signedInUser();
    settings.creation = "operators";
    const slug = freshSlug();
    const result = await createWorkspace(idle, form({ name: "Not allowed", slug, timeZone: "UTC" }));
    expect(result).toMatchObject({ status: "error", code: "forbidden", error: expect.stringContaining("only operators") });
    expect(await workspaceBySlug(slug)).toHaveLength(0);
    expect(await mayCreateWorkspace(userId)).toBe(false);
  });

  it("lets an operator create one", async () => {
    const { userId } = await signedInUser();
    await owner.query(`UPDATE users SET is_operator = true WHERE id = $1`, [userId]);
    settings.creation = "operators";
    expect(await mayCreateWorkspace(userId)).toBe(true);
    const slug = freshSlug();
    const result = await createWorkspace(idle, form({ name: "Operator's", slug, timeZone: "UTC" }));
    expect(result, JSON.stringify(result)).toMatchObject({ status: "ok", data: { slug } });
    expect(await workspaceBySlug(slug)).toHaveLength(1);
  });

  it("with the default (anyone), the switcher offers it to everyone", async () => {
    const { userId } = await signedInUser();
    expect(await mayCreateWorkspace(userId)).toBe(true);
  });
});
