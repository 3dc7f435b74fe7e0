import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { ownerClient, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { signInAs } from "../support/request-stub";
import { idle, type ActionState } from "../../lib/actions/action-state";

// The Settings page's actions, called directly as the server receives them: each
// setting validated on its field, each change audited with before and after in
// the workspace's log, only owners and admins allowed, the sensitive ones behind
// step-up, and an old slug answering 404 once the workspace has moved.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const { renameWorkspace } = await import("../../lib/actions/workspaces/rename-workspace");
const { changeWorkspaceSlug } = await import("../../lib/actions/workspaces/change-workspace-slug");
const { setWorkspaceTimeZone } = await import("../../lib/actions/workspaces/set-workspace-time-zone");
const { setAuditRetention } = await import("../../lib/actions/workspaces/set-audit-retention");
const { setPiiRedaction } = await import("../../lib/actions/workspaces/set-pii-redaction");
const { requireWorkspace } = await import("../../lib/workspaces/require-workspace");
const { default: SettingsPage } = await import("../../app/w/[workspace]/settings/page");
const { renderToStaticMarkup } = await import("react-dom/server");

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

type Action = (state: ActionState<never>, form: FormData) => Promise<ActionState<unknown>>;
const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) data.append(k, value);
  return data;
};
const call = (action: unknown, ws: SeededWorkspace, fields: Record<string, string | string[]>) => (action as Action)(idle, form({ workspace: ws.slug, ...fields }));
const row = async (ws: SeededWorkspace) => (await owner.query(`SELECT name, slug, time_zone, audit_retention_days, pii_redaction FROM workspaces WHERE id = $1`, [ws.workspaceId])).rows[0];
const events = async (ws: SeededWorkspace, action: string) =>
  (await owner.query(`SELECT actor_id::text, target_type, target_id::text, metadata FROM audit_events WHERE workspace_id = $1 AND action = $2 ORDER BY seq`, [ws.workspaceId, action])).rows;
const settingsEvents = async (ws: SeededWorkspace) =>
  (await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action LIKE 'workspace.%' AND action <> 'workspace.created'`, [ws.workspaceId])).rows[0].n as number;

async function asOwner() {
  const ws = await seedWorkspace(owner, "settings");
  await signInAs(owner, ws.ownerId);
  return ws;
}

describe("renaming", () => {
  it("renames, audited as workspace.renamed with before and after", async () => {
    const ws = await asOwner();
    expect(await call(renameWorkspace, ws, { name: "  Acme Platform  " })).toMatchObject({ status: "ok", data: { before: ws.slug, after: "Acme Platform" } });
    expect((await row(ws)).name).toBe("Acme Platform");
    expect(await events(ws, "workspace.renamed")).toEqual([
      { actor_id: ws.ownerId, target_type: "workspace", target_id: ws.workspaceId, metadata: { before: { name: ws.slug }, after: { name: "Acme Platform" } } },
    ]);
  });

  it("refuses an empty name on its field and writes nothing", async () => {
    const ws = await asOwner();
    expect(await call(renameWorkspace, ws, { name: "   " })).toMatchObject({ status: "error", fieldErrors: { name: [expect.any(String)] } });
    expect((await row(ws)).name).toBe(ws.slug);
    expect(await settingsEvents(ws)).toBe(0);
  });
});

describe("changing the slug", () => {
  it("moves the workspace: the old slug answers 404, the new one opens; audited", async () => {
    const ws = await asOwner();
    const next = `moved-${randomUUID().slice(0, 8)}`;
    expect(await call(changeWorkspaceSlug, ws, { slug: next })).toMatchObject({ status: "ok", data: { before: ws.slug, after: next } });
    expect((await row(ws)).slug).toBe(next);
    await expect(requireWorkspace(ws.slug)).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_HTTP_ERROR_FALLBACK;404/) });
    expect((await requireWorkspace(next)).membership).toMatchObject({ workspaceId: ws.workspaceId, slug: next });
    expect(await events(ws, "workspace.slug_changed")).toEqual([
      { actor_id: ws.ownerId, target_type: "workspace", target_id: ws.workspaceId, metadata: { before: { slug: ws.slug }, after: { slug: next } } },
    ]);
  });

  it("refuses a slug another workspace holds, on the slug field, decided by the unique index", async () => {
    const other = await seedWorkspace(owner, "holder");
    const ws = await asOwner();
    const result = await call(changeWorkspaceSlug, ws, { slug: other.slug });
    expect(result).toMatchObject({ status: "error", code: "conflict", fieldErrors: { slug: [expect.stringContaining("is taken")] } });
    expect((await row(ws)).slug).toBe(ws.slug);
    expect(await settingsEvents(ws)).toBe(0);
  });

  it("two workspaces racing for one new slug: exactly one gets it", async () => {
    const a = await asOwner();
    const b = await seedWorkspace(owner, "settings");
    await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')`, [b.workspaceId, a.ownerId]);
    const next = `race-${randomUUID().slice(0, 8)}`;
    const results = await Promise.all([call(changeWorkspaceSlug, a, { slug: next }), call(changeWorkspaceSlug, b, { slug: next })]);
    expect(results.map((r) => r.status).sort()).toEqual(["error", "ok"]);
    expect((await owner.query(`SELECT count(*)::int AS n FROM workspaces WHERE slug = $1`, [next])).rows[0].n).toBe(1);
  });

  it("refuses a malformed slug", async () => {
    const ws = await asOwner();
    expect(await call(changeWorkspaceSlug, ws, { slug: "-no-" })).toMatchObject({ status: "error", fieldErrors: { slug: [expect.any(String)] } });
    expect(await call(changeWorkspaceSlug, ws, { slug: "a".repeat(49) })).toMatchObject({ status: "error", fieldErrors: { slug: [expect.any(String)] } });
  });
});

describe("time zone", () => {
  it("takes an IANA zone, audited with before and after; refuses an unknown one on its field", async () => {
    const ws = await asOwner();
    expect(await call(setWorkspaceTimeZone, ws, { timeZone: "Mars/Olympus" })).toMatchObject({ status: "error", fieldErrors: { timeZone: [expect.any(String)] } });
    expect(await call(setWorkspaceTimeZone, ws, { timeZone: "America/New_York" })).toMatchObject({ status: "ok", data: { changed: true } });
    expect((await row(ws)).time_zone).toBe("America/New_York");
    expect(await events(ws, "workspace.settings_changed")).toEqual([
      { actor_id: ws.ownerId, target_type: "workspace", target_id: ws.workspaceId, metadata: { before: { time_zone: "UTC" }, after: { time_zone: "America/New_York" } } },
    ]);
    // The same value again changes nothing and is not audited.
    expect(await call(setWorkspaceTimeZone, ws, { timeZone: "America/New_York" })).toMatchObject({ status: "ok", data: { changed: false } });
    expect(await events(ws, "workspace.settings_changed")).toHaveLength(1);
  });
});

describe("audit retention", () => {
  it("refuses 29 days and more than 36500, takes 30, then forever; each change audited", async () => {
    const ws = await asOwner();
    for (const days of ["29", "36501", "2.5", "abc"]) {
      expect(await call(setAuditRetention, ws, { retention: "days", retentionDays: days }), days).toMatchObject({ status: "error", fieldErrors: { retentionDays: [expect.any(String)] } });
    }
    expect(await call(setAuditRetention, ws, { retention: "days", retentionDays: "" })).toMatchObject({ status: "error", fieldErrors: { retentionDays: [expect.any(String)] } });
    expect((await row(ws)).audit_retention_days).toBeNull();
    expect(await settingsEvents(ws)).toBe(0);

    expect(await call(setAuditRetention, ws, { retention: "days", retentionDays: "30" })).toMatchObject({ status: "ok", data: { changed: true } });
    expect((await row(ws)).audit_retention_days).toBe(30);
    expect(await call(setAuditRetention, ws, { retention: "forever" })).toMatchObject({ status: "ok", data: { changed: true } });
    expect((await row(ws)).audit_retention_days).toBeNull();
    expect((await events(ws, "workspace.settings_changed")).map((e) => e.metadata)).toEqual([
      { before: { audit_retention_days: null }, after: { audit_retention_days: 30 } },
      { before: { audit_retention_days: 30 }, after: { audit_retention_days: null } },
    ]);
  });
});

describe("PII redaction", () => {
  it("stores the kinds checked (none by default), audited; refuses an unknown kind", async () => {
    const ws = await asOwner();
    expect((await row(ws)).pii_redaction).toEqual([]);
    expect(await call(setPiiRedaction, ws, { pii: ["card", "email"] })).toMatchObject({ status: "ok", data: { changed: true } });
    expect((await row(ws)).pii_redaction).toEqual(["email", "card"]);
    expect(await call(setPiiRedaction, ws, { pii: ["email", "passport"] })).toMatchObject({ status: "error", fieldErrors: { pii: [expect.any(String)] } });
    expect(await call(setPiiRedaction, ws, {})).toMatchObject({ status: "ok", data: { changed: true } });
    expect((await row(ws)).pii_redaction).toEqual([]);
    expect((await events(ws, "workspace.settings_changed")).map((e) => e.metadata)).toEqual([
      { before: { pii_redaction: [] }, after: { pii_redaction: ["email", "card"] } },
      { before: { pii_redaction: ["email", "card"] }, after: { pii_redaction: [] } },
    ]);
  });
});

describe("who may change settings", () => {
  const attempts = (suffix: string): [string, unknown, Record<string, string | string[]>][] => [
    ["rename", renameWorkspace, { name: "Hijacked" }],
    ["time zone", setWorkspaceTimeZone, { timeZone: "Asia/Tokyo" }],
    ["retention", setAuditRetention, { retention: "days", retentionDays: "30" }],
    ["redaction", setPiiRedaction, { pii: ["email"] }],
    // Last: the workspace answers at its new slug only afterwards.
    ["slug", changeWorkspaceSlug, { slug: `hijack-${suffix}` }],
  ];

  it.each(["viewer", "editor", "developer"])("a %s is refused on the server, and nothing changes", async (role) => {
    const ws = await seedWorkspace(owner, "settings");
    const member = await seedMember(owner, ws.workspaceId, role);
    await signInAs(owner, member.id);
    const before = await row(ws);
    for (const [what, action, fields] of attempts(randomUUID().slice(0, 8))) {
      expect(await call(action, ws, fields), what).toMatchObject({ status: "error", code: "forbidden" });
    }
    expect(await row(ws)).toEqual(before);
    expect(await settingsEvents(ws)).toBe(0);
  });

  it("a viewer sees the settings read-only, told their role cannot change them", async () => {
    const ws = await seedWorkspace(owner, "settings");
    await owner.query(`UPDATE workspaces SET audit_retention_days = 90, pii_redaction = '{email}' WHERE id = $1`, [ws.workspaceId]);
    const viewer = await seedMember(owner, ws.workspaceId, "viewer");
    await signInAs(owner, viewer.id);
    const html = renderToStaticMarkup(await SettingsPage({ params: Promise.resolve({ workspace: ws.slug }), searchParams: Promise.resolve({}) }));
    const text = html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    expect(text).toContain("Your role (viewer) cannot change settings");
    expect(text).toContain("Delete events older than 90 days");
    expect(text).toContain("Email addresses");
    expect(html).not.toContain("<form");
  });

  it("an admin may change them", async () => {
    const ws = await seedWorkspace(owner, "settings");
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    await signInAs(owner, admin.id);
    for (const [what, action, fields] of attempts(randomUUID().slice(0, 8))) {
      expect(await call(action, ws, fields), what).toMatchObject({ status: "ok" });
    }
    expect(await settingsEvents(ws)).toBe(5);
  });

  it("a member of another workspace is told it does not exist", async () => {
    const ws = await seedWorkspace(owner, "settings");
    const outsider = await seedWorkspace(owner, "outsider");
    await signInAs(owner, outsider.ownerId);
    expect(await call(renameWorkspace, ws, { name: "Hijacked" })).toMatchObject({ status: "error", code: "not_found" });
  });

  it("the slug, retention and redaction need a fresh MFA check where the workspace asks for step-up", async () => {
    const ws = await seedWorkspace(owner, "settings");
    await owner.query(`UPDATE workspaces SET step_up_required = true WHERE id = $1`, [ws.workspaceId]);
    await owner.query(`UPDATE users SET mfa_enabled_at = now() WHERE id = $1`, [ws.ownerId]);
    await signInAs(owner, ws.ownerId);
    await owner.query(`UPDATE sessions SET mfa_verified_at = now() - interval '11 minutes' WHERE user_id = $1`, [ws.ownerId]);
    for (const [what, action, fields] of attempts(randomUUID().slice(0, 8)).filter(([w]) => ["slug", "retention", "redaction"].includes(w))) {
      expect(await call(action, ws, fields), what).toMatchObject({ status: "error", code: "step_up_required" });
    }
    expect(await settingsEvents(ws)).toBe(0);
  });
});
