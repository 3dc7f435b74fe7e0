import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { NextRequest } from "next/server";
import { cookieJar, signInAs } from "../support/request-stub";
import { parseCsv } from "../support/csv";
import { ownerClient, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { seedAgent } from "../support/seed-agents";
import { lastDays } from "../../lib/usage/usage-window";

// Every role holds usage.read today; the refusal is proved by taking it from the
// viewer in the one table, as a future table might, and seeing the route refuse.
const table = vi.hoisted(() => ({ viewerWithoutUsage: false }));
vi.mock("../../lib/authz/capabilities", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../lib/authz/capabilities")>();
  return {
    ...actual,
    can: (role: Parameters<typeof actual.can>[0], capability: Parameters<typeof actual.can>[1]) =>
      table.viewerWithoutUsage && role === "viewer" && capability === "usage.read" ? false : actual.can(role, capability),
  };
});
vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);

const { GET } = await import("../../app/w/[workspace]/usage/export/route");

let owner: pg.Client;
let ws: SeededWorkspace;
let evil: string;
let plain: string;

const download = (slug: string, query: string) => GET(new NextRequest(`http://warden.test/w/${slug}/usage/export${query}`), { params: Promise.resolve({ workspace: slug }) });
const exportsRecorded = async () => (await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'usage.exported'`, [ws.workspaceId])).rows[0].n;

beforeAll(async () => {
  owner = await ownerClient();
  ws = await seedWorkspace(owner, "usage-export");
  evil = await seedAgent(owner, ws.workspaceId, { name: `=HYPERLINK("http://evil.test","click")` });
  plain = await seedAgent(owner, ws.workspaceId, { name: "Plain, with comma" });
  await owner.query(
    `INSERT INTO usage_daily (workspace_id, agent_id, day, conversations, turns, llm_calls, input_tokens, output_tokens, tool_invocations, cost_micros)
     VALUES ($1, $2, '2026-03-02', 2, 5, 3, 1200, 340, 4, 12500125), ($1, $3, '2026-03-03', 1, 1, 1, 10, 20, 0, 750000), ($1, $2, '2026-03-05', 9, 9, 9, 9, 9, 9, 9)`,
    [ws.workspaceId, evil, plain],
  );
  await owner.query(`INSERT INTO agent_days (workspace_id, agent_id, day, spent_micros, held_micros) VALUES ($1, $2, '2026-03-02', 12000000, 300000), ($1, $3, '2026-03-01', 5, 0)`, [
    ws.workspaceId,
    evil,
    plain,
  ]);
});
afterAll(() => owner.end());

describe("the usage CSV export", () => {
  it("has one row per agent per day of the window, rollups beside what the budget spent, and the name cell formula-safe", async () => {
    await signInAs(owner, ws.ownerId);
    const response = await download(ws.slug, "?from=2026-03-01&to=2026-03-03");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="usage-${ws.slug}-2026-03-01-to-2026-03-03.csv"`);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(["day", "agent_id", "agent_name", "conversations", "turns", "llm_calls", "input_tokens", "output_tokens", "tool_invocations", "reported_cost", "spent"]);
    const evilName = `'=HYPERLINK("http://evil.test","click")`;
    expect(rows).toEqual([
      ["2026-03-01", evil, evilName, "0", "0", "0", "0", "0", "0", "0.00", "0.00"],
      ["2026-03-01", plain, "Plain, with comma", "0", "0", "0", "0", "0", "0", "0.00", "0.000005"],
      ["2026-03-02", evil, evilName, "2", "5", "3", "1200", "340", "4", "12.500125", "12.00"],
      ["2026-03-02", plain, "Plain, with comma", "0", "0", "0", "0", "0", "0", "0.00", "0.00"],
      ["2026-03-03", evil, evilName, "0", "0", "0", "0", "0", "0", "0.00", "0.00"],
      ["2026-03-03", plain, "Plain, with comma", "1", "1", "1", "10", "20", "0", "0.75", "0.00"],
    ]);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const { rows: recorded } = await owner.query(`SELECT actor_id, metadata FROM audit_events WHERE workspace_id = $1 AND action = 'usage.exported' ORDER BY seq DESC LIMIT 1`, [ws.workspaceId]);
    expect(recorded[0].actor_id).toBe(ws.ownerId);
    expect(recorded[0].metadata).toMatchObject({ from: "2026-03-01", to: "2026-03-03", time_zone: "UTC", rows: 6 });
  });

  it("defaults to the last 30 days in the workspace's zone", async () => {
    await signInAs(owner, ws.ownerId);
    const response = await download(ws.slug, "");
    expect(response.status).toBe(200);
    const [, ...rows] = parseCsv(await response.text());
    const { from, to } = lastDays("UTC", 30);
    expect(rows).toHaveLength(60);
    expect(rows[0][0]).toBe(from);
    expect(rows.at(-1)![0]).toBe(to);
  });

  it("answers 400 naming the parameter for bad input, before anything is read or recorded", async () => {
    await signInAs(owner, ws.ownerId);
    const before = await exportsRecorded();
    const cases: [string, string][] = [
      ["?from=2026-13-01", "from"],
      ["?from=%00", "from"],
      ["?to=0000-01-01", "to"],
      ["?from=2026-03-05&to=2026-03-01", "from"],
      ["?from=2024-01-01&to=2026-03-01", "to"],
      ["?from=2026-03-01&from=2026-03-02", "from"],
      ["?format=xlsx", "format"],
      ["?tz=Mars/Olympus", "tz"],
    ];
    for (const [query, parameter] of cases) {
      const refused = await download(ws.slug, query);
      expect(refused.status, query).toBe(400);
      expect(refused.headers.get("content-disposition"), query).toBeNull();
      const body = await refused.json();
      expect(body.error.code, query).toBe("invalid_input");
      expect(body.error.message, query).toMatch(new RegExp(`^Invalid parameter ${parameter}: `));
    }
    expect(await exportsRecorded()).toBe(before);
  });

  it("refuses a role without usage.read, an outsider and a signed-out caller, recording nothing", async () => {
    const before = await exportsRecorded();
    const viewer = await seedMember(owner, ws.workspaceId, "viewer");
    await signInAs(owner, viewer.id);
    expect((await download(ws.slug, "")).status).toBe(200);
    table.viewerWithoutUsage = true;
    try {
      const refused = await download(ws.slug, "");
      expect(refused.status).toBe(403);
      expect(refused.headers.get("content-disposition")).toBeNull();
    } finally {
      table.viewerWithoutUsage = false;
    }
    const outsider = await seedWorkspace(owner, "usage-export-outsider");
    await signInAs(owner, outsider.ownerId);
    expect((await download(ws.slug, "")).status).toBe(404);
    cookieJar.clear();
    expect((await download(ws.slug, "")).status).toBe(401);
    // Only the viewer's one allowed download was recorded.
    expect(await exportsRecorded()).toBe(before + 1);
  });
});
