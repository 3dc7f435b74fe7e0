import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { context, ownerClient, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { signInAs } from "../support/request-stub";
import { withApiKeyRequest, withWorkspace } from "../../lib/db/with-workspace";
import { createAgent } from "../../lib/agents/create-agent";
import { renameAgent } from "../../lib/agents/rename-agent";
import { setAgentState } from "../../lib/agents/set-agent-state";
import { updateAgentBudget } from "../../lib/agents/update-agent-budget";
import { createAgentSchema } from "../../lib/agents/schemas";
import { isAppError } from "../../lib/errors";
import { createApiKey } from "../../lib/api-keys/create-api-key";
import { admitApiKey, presentedApiKeyHash } from "../../lib/api-keys/authenticate-api-key";
import { listApiKeys } from "../../lib/api-keys/list-api-keys";
import { idle } from "../../lib/actions/action-state";

// Agents: created with a cap in micro-dollars and the workspace's zone, renamed,
// paused, resumed and archived (which frees the name), and their budgets changed:
// each change audited with before and after, names unique among live agents even
// when two creates race.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const { createAgent: createAgentAction } = await import("../../lib/actions/agents/create-agent");
const { updateAgentBudget: updateBudgetAction } = await import("../../lib/actions/agents/update-agent-budget");

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const actor = (ws: SeededWorkspace) => ({ type: "user" as const, id: ws.ownerId, label: ws.ownerEmail });
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
const input = (fields: Record<string, string>) => createAgentSchema.parse(fields);
const create = (ws: SeededWorkspace, fields: Record<string, string>) =>
  withWorkspace(ws.workspaceId, (tx) => createAgent(tx, { workspaceId: ws.workspaceId, input: input(fields), actor: actor(ws), context: context() }));
const events = async (ws: SeededWorkspace, action: string) =>
  (await owner.query(`SELECT target_id::text, metadata FROM audit_events WHERE workspace_id = $1 AND action = $2 ORDER BY seq`, [ws.workspaceId, action])).rows;
const agentRow = async (agentId: string) =>
  (await owner.query(`SELECT name, state, daily_cap_micros::text AS cap, time_zone, alert_thresholds, unpriced_policy, archived_at FROM agents WHERE id = $1`, [agentId])).rows[0];

describe("creating agents", () => {
  it("stores the cap in exact micro-dollars, the workspace's zone by default, 50/80/100 and deny; audited", async () => {
    const ws = await seedWorkspace(owner, "agents");
    await owner.query(`UPDATE workspaces SET time_zone = 'Europe/Paris' WHERE id = $1`, [ws.workspaceId]);
    const { agentId } = await create(ws, { name: "support-bot", dailyCap: "12.50" });
    expect(await agentRow(agentId)).toMatchObject({ name: "support-bot", state: "active", cap: "12500000", time_zone: "Europe/Paris", alert_thresholds: [50, 80, 100], unpriced_policy: "deny" });
    const other = await create(ws, { name: "sales-bot", dailyCap: "0.000001", timeZone: "America/New_York", alertThresholds: "100, 25,25", unpricedPolicy: "allow" });
    expect(await agentRow(other.agentId)).toMatchObject({ cap: "1", time_zone: "America/New_York", alert_thresholds: [25, 100], unpriced_policy: "allow" });
    const [event] = await events(ws, "agent.created");
    expect(event).toMatchObject({ target_id: agentId, metadata: { name: "support-bot", daily_cap: "12.50", time_zone: "Europe/Paris" } });
  });

  it("refuses an unknown zone, bad thresholds and a malformed cap on the field", () => {
    const result = createAgentSchema.safeParse({ name: "x", dailyCap: "-1", timeZone: "Mars/Olympus", alertThresholds: "0, 150" });
    expect(result.success).toBe(false);
    const fields = result.error!.flatten().fieldErrors;
    expect(Object.keys(fields).sort()).toEqual(["alertThresholds", "dailyCap", "timeZone"]);
    expect(createAgentSchema.safeParse({ name: "x", dailyCap: "1", alertThresholds: "10,20,30,40,50,60" }).success).toBe(false);
    expect(createAgentSchema.safeParse({ name: "x", dailyCap: "1.1234567" }).success).toBe(false);
    expect(createAgentSchema.safeParse({ name: "", dailyCap: "1" }).success).toBe(false);
  });

  it("two creates of one name in parallel: exactly one wins, the other is a conflict on the name", async () => {
    const ws = await seedWorkspace(owner, "agents");
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => create(ws, { name: "racer", dailyCap: "5" })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      const error = (r as PromiseRejectedResult).reason;
      expect(isAppError(error) && error.code).toBe("conflict");
      expect(error.fieldErrors).toHaveProperty("name");
    }
    expect(await events(ws, "agent.created")).toHaveLength(1);
  });

  it("a developer creates agents through the action; a viewer cannot", async () => {
    const ws = await seedWorkspace(owner, "agents");
    const developer = await seedMember(owner, ws.workspaceId, "developer");
    await signInAs(owner, developer.id);
    expect(await createAgentAction(idle, form({ workspace: ws.slug, name: "dev-bot", dailyCap: "1" }))).toMatchObject({ status: "ok" });
    expect(await createAgentAction(idle, form({ workspace: ws.slug, name: "dev-bot", dailyCap: "1" }))).toMatchObject({
      status: "error",
      code: "conflict",
      fieldErrors: { name: [expect.any(String)] },
    });
    expect(await createAgentAction(idle, form({ workspace: ws.slug, name: "x", dailyCap: "12.5.0" }))).toMatchObject({ status: "error", fieldErrors: { dailyCap: [expect.any(String)] } });
    const viewer = await seedMember(owner, ws.workspaceId, "viewer");
    await signInAs(owner, viewer.id);
    expect(await createAgentAction(idle, form({ workspace: ws.slug, name: "viewer-bot", dailyCap: "1" }))).toMatchObject({ status: "error", code: "forbidden" });
  });
});

describe("changing agents", () => {
  const rename = (ws: SeededWorkspace, agentId: string, name: string) =>
    withWorkspace(ws.workspaceId, (tx) => renameAgent(tx, { workspaceId: ws.workspaceId, agentId, name, actor: actor(ws), context: context() }));
  const setState = (ws: SeededWorkspace, agentId: string, state: "active" | "paused" | "archived") =>
    withWorkspace(ws.workspaceId, (tx) => setAgentState(tx, { workspaceId: ws.workspaceId, agentId, state, actor: actor(ws), context: context() }));

  it("renames with before and after; a live agent's name is refused", async () => {
    const ws = await seedWorkspace(owner, "agents");
    const a = await create(ws, { name: "alpha", dailyCap: "1" });
    await create(ws, { name: "beta", dailyCap: "1" });
    await rename(ws, a.agentId, "gamma");
    expect((await events(ws, "agent.renamed"))[0].metadata).toMatchObject({ before: { name: "alpha" }, after: { name: "gamma" } });
    await expect(rename(ws, a.agentId, "beta")).rejects.toMatchObject({ code: "conflict", fieldErrors: { name: [expect.any(String)] } });
    expect((await agentRow(a.agentId)).name).toBe("gamma");
  });

  it("pauses, resumes and archives, audited; archiving frees the name and is final", async () => {
    const ws = await seedWorkspace(owner, "agents");
    const a = await create(ws, { name: "worker", dailyCap: "1" });
    await setState(ws, a.agentId, "paused");
    await setState(ws, a.agentId, "active");
    await setState(ws, a.agentId, "archived");
    expect((await events(ws, "agent.budget_changed")).map((e) => [e.metadata.before.state, e.metadata.after.state])).toEqual([
      ["active", "paused"],
      ["paused", "active"],
      ["active", "archived"],
    ]);
    expect((await agentRow(a.agentId)).archived_at).not.toBeNull();
    const again = await create(ws, { name: "worker", dailyCap: "2" });
    expect(again.agentId).not.toBe(a.agentId);
    await expect(setState(ws, a.agentId, "active")).rejects.toMatchObject({ code: "conflict" });
    await expect(rename(ws, a.agentId, "other")).rejects.toMatchObject({ code: "conflict" });
  });

  it("changes the budget under the lock, audited with before and after; an unchanged budget writes nothing", async () => {
    const ws = await seedWorkspace(owner, "agents");
    const a = await create(ws, { name: "budgeted", dailyCap: "10" });
    const update = (dailyCap: bigint, timeZone = "UTC") =>
      withWorkspace(ws.workspaceId, (tx) =>
        updateAgentBudget(tx, {
          workspaceId: ws.workspaceId,
          input: { agentId: a.agentId, dailyCap, timeZone, alertThresholds: [50, 90], unpricedPolicy: "allow" },
          actor: actor(ws),
          context: context(),
        }),
      );
    expect(await update(12_500_000n, "Asia/Tokyo")).toEqual({ changed: true });
    expect(await update(12_500_000n, "Asia/Tokyo")).toEqual({ changed: false });
    const budget = await events(ws, "agent.budget_changed");
    expect(budget).toHaveLength(1);
    expect(budget[0].metadata).toEqual({
      name: "budgeted",
      before: { daily_cap: "10.00", time_zone: "UTC", alert_thresholds: [50, 80, 100], unpriced_policy: "deny" },
      after: { daily_cap: "12.50", time_zone: "Asia/Tokyo", alert_thresholds: [50, 90], unpriced_policy: "allow" },
    });
    expect(await agentRow(a.agentId)).toMatchObject({ cap: "12500000", time_zone: "Asia/Tokyo" });
  });

  it("parallel budget changes run one after the other: each audit's before is the previous after", async () => {
    const ws = await seedWorkspace(owner, "agents");
    const a = await create(ws, { name: "contended", dailyCap: "1" });
    await Promise.all(
      [2, 3, 4, 5].map((dollars) =>
        withWorkspace(ws.workspaceId, (tx) =>
          updateAgentBudget(tx, {
            workspaceId: ws.workspaceId,
            input: { agentId: a.agentId, dailyCap: BigInt(dollars) * 1_000_000n, timeZone: "UTC", alertThresholds: [50, 80, 100], unpricedPolicy: "deny" },
            actor: actor(ws),
            context: context(),
          }),
        ),
      ),
    );
    const chain = (await events(ws, "agent.budget_changed")).map((e) => [e.metadata.before.daily_cap, e.metadata.after.daily_cap]);
    expect(chain).toHaveLength(4);
    for (let i = 1; i < chain.length; i++) expect(chain[i][0]).toBe(chain[i - 1][1]);
    expect(chain[0][0]).toBe("1.00");
  });

  it("a developer cannot change a budget through the action; an admin can", async () => {
    const ws = await seedWorkspace(owner, "agents");
    const a = await create(ws, { name: "guarded", dailyCap: "1" });
    const fields = { workspace: ws.slug, agentId: a.agentId, dailyCap: "3", timeZone: "UTC", alertThresholds: "50,80,100", unpricedPolicy: "deny" };
    const developer = await seedMember(owner, ws.workspaceId, "developer");
    await signInAs(owner, developer.id);
    expect(await updateBudgetAction(idle, form(fields))).toMatchObject({ status: "error", code: "forbidden" });
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    await signInAs(owner, admin.id);
    expect(await updateBudgetAction(idle, form(fields))).toMatchObject({ status: "ok" });
    expect((await agentRow(a.agentId)).cap).toBe("3000000");
  });

  it("an agent of another workspace is not found", async () => {
    const ws = await seedWorkspace(owner, "agents");
    const other = await seedWorkspace(owner, "agents");
    const a = await create(other, { name: "theirs", dailyCap: "1" });
    await expect(rename(ws, a.agentId, "mine")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("API keys bound to an agent", () => {
  const mint = (ws: SeededWorkspace, agentId: string | null) =>
    withWorkspace(ws.workspaceId, (tx) =>
      createApiKey(tx, { workspaceId: ws.workspaceId, name: "runtime", scopes: ["audit:read"], expiresAt: null, agentId, actorRole: "owner", actor: actor(ws), context: context() }),
    );

  it("a key bound to an agent names it in the audit, the list and the principal routes check", async () => {
    const ws = await seedWorkspace(owner, "agents");
    const { agentId } = await create(ws, { name: "bound-bot", dailyCap: "1" });
    const created = await mint(ws, agentId);
    expect(created.agent).toBe("bound-bot");
    const [event] = await events(ws, "api_key.created");
    expect(event.metadata).toMatchObject({ agent: "bound-bot", agent_id: agentId });
    const principal = await withApiKeyRequest(
      presentedApiKeyHash(`Bearer ${created.key}`),
      async (key) => admitApiKey(key),
      async (_tx, p) => p,
    );
    expect(principal.agentId).toBe(agentId);
    const unbound = await mint(ws, null);
    expect(
      (
        await withApiKeyRequest(
          presentedApiKeyHash(`Bearer ${unbound.key}`),
          async (key) => admitApiKey(key),
          async (_tx, p) => p,
        )
      ).agentId,
    ).toBeNull();
    const listed = await withWorkspace(ws.workspaceId, (tx) => listApiKeys(tx, ws.workspaceId));
    expect(listed.map((k) => k.agent).sort()).toEqual(["bound-bot", null].sort());
  });

  it("an agent of another workspace, an archived agent or an unknown id is refused on the field", async () => {
    const ws = await seedWorkspace(owner, "agents");
    const other = await seedWorkspace(owner, "agents");
    const theirs = await create(other, { name: "theirs", dailyCap: "1" });
    await expect(mint(ws, theirs.agentId)).rejects.toMatchObject({ code: "invalid_input", fieldErrors: { agentId: [expect.any(String)] } });
    const mine = await create(ws, { name: "retired", dailyCap: "1" });
    await withWorkspace(ws.workspaceId, (tx) => setAgentState(tx, { workspaceId: ws.workspaceId, agentId: mine.agentId, state: "archived", actor: actor(ws), context: context() }));
    await expect(mint(ws, mine.agentId)).rejects.toMatchObject({ code: "invalid_input", fieldErrors: { agentId: [expect.any(String)] } });
    await expect(mint(ws, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ code: "invalid_input" });
    expect((await owner.query(`SELECT count(*)::int AS n FROM api_keys WHERE workspace_id = $1`, [ws.workspaceId])).rows[0].n).toBe(0);
  });
});
