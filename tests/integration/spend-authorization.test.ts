import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { context, ownerClient, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { generateApiKey } from "../../lib/api-keys/api-key-token";
import { withWorkspace } from "../../lib/db/with-workspace";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { authorizeSpend } from "../../lib/spend/authorize-spend";
import { settleHold } from "../../lib/spend/settle-hold";
import { sweepExpiredHolds } from "../../lib/spend/sweep-expired-holds";
import { POST as authorizePost } from "../../app/api/v1/agents/[agent]/authorizations/route";
import { POST as capturePost } from "../../app/api/v1/authorizations/[id]/capture/route";
import { POST as voidPost } from "../../app/api/v1/authorizations/[id]/void/route";

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

// Prices per million tokens in micro-dollars: "metered" costs 1 micro per output token and nothing per input token.
const METERED = "metered-model";

async function workspace(label: string) {
  const ws = await seedWorkspace(owner, label);
  await owner.query(`INSERT INTO model_prices (workspace_id, model, input_micros_per_mtok, output_micros_per_mtok, effective_from) VALUES ($1, $2, 0, 1000000, '2020-01-01')`, [
    ws.workspaceId,
    METERED,
  ]);
  return ws;
}

async function agent(ws: SeededWorkspace, capMicros: number, extra: { zone?: string; unpriced?: "deny" | "allow"; state?: string } = {}) {
  const { rows } = await owner.query<{ id: string }>(`INSERT INTO agents (workspace_id, name, daily_cap_micros, time_zone, unpriced_policy, state) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, [
    ws.workspaceId,
    `agent-${randomUUID().slice(0, 8)}`,
    capMicros,
    extra.zone ?? "UTC",
    extra.unpriced ?? "deny",
    extra.state ?? "active",
  ]);
  return rows[0].id;
}

async function runtimeKey(ws: SeededWorkspace, extra: { scopes?: string[]; agentId?: string } = {}) {
  const { key, prefix, hash } = generateApiKey();
  await owner.query(`INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id, agent_id) VALUES ($1, 'runtime', $2, $3, $4, $5, $6)`, [
    ws.workspaceId,
    prefix,
    hash,
    extra.scopes ?? ["runtime:spend"],
    ws.ownerId,
    extra.agentId ?? null,
  ]);
  return key;
}

const post = (key: string, path: string, body: unknown, idempotencyKey?: string) =>
  new Request(`http://warden.test${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      "x-warden-ip": `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
      "x-request-id": `req-${randomUUID()}`,
      ...(idempotencyKey !== undefined && { "idempotency-key": idempotencyKey }),
    },
    body: JSON.stringify(body),
  });

const authorize = (key: string, agentId: string, body: unknown, idempotencyKey: string | undefined = randomUUID()) =>
  authorizePost(post(key, `/api/v1/agents/${agentId}/authorizations`, body, idempotencyKey), { params: Promise.resolve({ agent: agentId }) });
const capture = (key: string, id: string, body: unknown) => capturePost(post(key, `/api/v1/authorizations/${id}/capture`, body), { params: Promise.resolve({ id }) });
const release = (key: string, id: string) => voidPost(post(key, `/api/v1/authorizations/${id}/void`, {}), { params: Promise.resolve({ id }) });

/** One dollar's worst case on the metered model. */
const DOLLAR = { model: METERED, input_tokens: 500, max_output_tokens: 1_000_000 };

async function dayTotals(agentId: string) {
  const { rows } = await owner.query<{ day: string; spent: string; held: string; alerted: number[] }>(
    `SELECT day::text AS day, spent_micros::text AS spent, held_micros::text AS held, alerted_thresholds AS alerted FROM agent_days WHERE agent_id = $1 ORDER BY day`,
    [agentId],
  );
  return rows.map((r) => ({ day: r.day, spent: Number(r.spent), held: Number(r.held), alerted: r.alerted }));
}

describe("spend authorization (reserve, then settle)", () => {
  it("Proof 1: 100 parallel authorizations at 3.5× the remaining budget admit exactly 3, and spent + held never passes the cap", async () => {
    const ws = await workspace("spend-race");
    const agentId = await agent(ws, 3_500_000);
    const key = await runtimeKey(ws);

    const responses = await Promise.all(Array.from({ length: 100 }, () => authorize(key, agentId, DOLLAR)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s !== 201 && s !== 422)).toEqual([]);
    const admitted = await Promise.all(responses.filter((r) => r.status === 201).map((r) => r.json()));
    expect(admitted.every((a) => a.held === "1.00")).toBe(true);
    const refused = await responses.find((r) => r.status === 422)!.json();
    expect(refused.error).toMatchObject({ code: "unprocessable", reason: "request_exceeds_budget", remaining: "0.50", max_affordable_output_tokens: 500_000 });

    const [day] = await dayTotals(agentId);
    expect(day.spent + day.held).toBe(3_000_000);
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM spend_holds WHERE agent_id = $1`, [agentId]);
    expect(rows[0].n).toBe(3);

    // With 0.50 left, the smaller call the refusal proposed is admitted, and then nothing is: 402 with when it resets.
    const smaller = await authorize(key, agentId, { ...DOLLAR, max_output_tokens: 500_000 });
    expect(smaller.status).toBe(201);
    expect(await smaller.json()).toMatchObject({ held: "0.50", remaining: "0.00" });
    const exhausted = await authorize(key, agentId, DOLLAR);
    expect(exhausted.status).toBe(402);
    const body = await exhausted.json();
    expect(body.error).toMatchObject({ code: "payment_required", reason: "budget_exhausted", remaining: "0.00" });
    expect(new Date(body.error.resets_at).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("Proof 2: parallel first requests of an agent with no day row make one row and admit exactly what fits", async () => {
    const ws = await workspace("spend-first");
    const agentId = await agent(ws, 10_000_000);
    const key = await runtimeKey(ws);
    expect(await dayTotals(agentId)).toEqual([]);

    const responses = await Promise.all(Array.from({ length: 30 }, () => authorize(key, agentId, DOLLAR)));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(10);
    const days = await dayTotals(agentId);
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({ spent: 0, held: 10_000_000 });
  });

  it("Proof 3: a refused call holds nothing, void releases, an expired hold is charged at its held amount, and none causes a false refusal", async () => {
    const ws = await workspace("spend-holds");
    const agentId = await agent(ws, 2_000_000);
    const key = await runtimeKey(ws);

    // Error: a refusal leaves no hold behind (its whole transaction is rolled back).
    expect((await authorize(key, agentId, { ...DOLLAR, max_output_tokens: 3_000_000 })).status).toBe(422);
    expect(await dayTotals(agentId)).toEqual([]);
    expect((await owner.query(`SELECT count(*)::int AS n FROM spend_holds WHERE agent_id = $1`, [agentId])).rows[0].n).toBe(0);

    // Void: the whole cap is available again at once.
    const first = await (await authorize(key, agentId, { ...DOLLAR, max_output_tokens: 2_000_000 })).json();
    expect((await authorize(key, agentId, DOLLAR)).status).toBe(402);
    const voided = await release(key, first.id);
    expect(voided.status).toBe(200);
    expect(await voided.json()).toMatchObject({ id: first.id, state: "voided", held: "2.00", charged: "0.00" });
    expect(await dayTotals(agentId)).toMatchObject([{ spent: 0, held: 0 }]);

    // Capture below the hold releases the rest.
    const second = await (await authorize(key, agentId, DOLLAR)).json();
    const captured = await capture(key, second.id, { output_tokens: 250_000 });
    expect(await captured.json()).toMatchObject({ state: "captured", held: "1.00", charged: "0.25" });
    expect(await dayTotals(agentId)).toMatchObject([{ spent: 250_000, held: 0 }]);

    // Timeout: a hold left unsettled past its 10 minutes is charged at its held amount. Expiry
    // moves it from held to spent, so it never changes what fits: the next authorization is
    // decided on the same total, and the maintenance sweep charges the hold.
    const third = await (await authorize(key, agentId, DOLLAR)).json();
    await owner.query(`UPDATE spend_holds SET expires_at = now() - interval '1 second' WHERE id = $1`, [third.id]);
    const fourth = await authorize(key, agentId, { ...DOLLAR, max_output_tokens: 750_000 });
    expect(fourth.status).toBe(201);
    expect(await fourth.json()).toMatchObject({ remaining: "0.00" });
    expect((await authorize(key, agentId, { ...DOLLAR, max_output_tokens: 1 })).status).toBe(402);
    expect(await dayTotals(agentId)).toMatchObject([{ spent: 250_000, held: 1_750_000 }]);
    await sweepExpiredHolds();
    const { rows } = await owner.query(`SELECT state, charged_micros::int AS charged FROM spend_holds WHERE id = $1`, [third.id]);
    expect(rows[0]).toEqual({ state: "expired", charged: 1_000_000 });
    expect(await dayTotals(agentId)).toMatchObject([{ spent: 1_250_000, held: 750_000 }]);
    // Settling an expired hold changes nothing: it stays charged at its held amount.
    const late = await capture(key, third.id, { output_tokens: 1 });
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ state: "expired", charged: "1.00" });
    expect(await (await release(key, third.id)).json()).toMatchObject({ state: "expired", charged: "1.00" });
    expect(await dayTotals(agentId)).toMatchObject([{ spent: 1_250_000, held: 750_000 }]);

    // A capture that comes after the 10 minutes, before any authorization expired the hold, finds it expired too.
    await owner.query(`UPDATE spend_holds SET expires_at = now() - interval '1 second' WHERE agent_id = $1 AND state = 'held'`, [agentId]);
    const overdue = (await owner.query<{ id: string }>(`SELECT id FROM spend_holds WHERE agent_id = $1 AND state = 'held'`, [agentId])).rows[0].id;
    const tooLate = await capture(key, overdue, { output_tokens: 1 });
    expect(tooLate.status).toBe(200);
    expect(await tooLate.json()).toMatchObject({ state: "expired", charged: "0.75" });
    expect(await dayTotals(agentId)).toMatchObject([{ spent: 2_000_000, held: 0 }]);
  });

  it("Proof 3: a capture above the hold charges the actual cost", async () => {
    const ws = await workspace("spend-over");
    const agentId = await agent(ws, 5_000_000);
    const key = await runtimeKey(ws);
    const hold = await (await authorize(key, agentId, DOLLAR)).json();
    expect(await (await capture(key, hold.id, { output_tokens: 1_500_000 })).json()).toMatchObject({ charged: "1.50" });
    expect(await dayTotals(agentId)).toMatchObject([{ spent: 1_500_000, held: 0 }]);
  });

  it("Proof 4: an unpriced model is refused by default, needs an estimate when allowed, and never settles to zero", async () => {
    const ws = await workspace("spend-unpriced");
    const denying = await agent(ws, 5_000_000);
    const allowing = await agent(ws, 5_000_000, { unpriced: "allow" });
    const key = await runtimeKey(ws);
    const unpriced = { model: "mystery-model", input_tokens: 10, max_output_tokens: 10 };

    for (const body of [unpriced, { model: "mystery-model", estimated_cost: "1.00" }]) {
      const refused = await authorize(key, denying, body);
      expect(refused.status).toBe(422);
      expect((await refused.json()).error).toMatchObject({ code: "unprocessable", reason: "unpriced_model" });
    }
    expect((await authorize(key, allowing, unpriced)).status).toBe(422);
    expect((await authorize(key, allowing, { model: "mystery-model", estimated_cost: "0" })).status).toBe(422);

    const first = await (await authorize(key, allowing, { model: "mystery-model", estimated_cost: "1.25" })).json();
    expect(first).toMatchObject({ held: "1.25", remaining: "3.75" });
    expect(await (await capture(key, first.id, { cost: "0" })).json()).toMatchObject({ charged: "1.25" });
    const second = await (await authorize(key, allowing, { model: "mystery-model", estimated_cost: "1.00" })).json();
    expect(await (await capture(key, second.id, { output_tokens: 999 })).json()).toMatchObject({ charged: "1.00" });
    const third = await (await authorize(key, allowing, { model: "mystery-model", estimated_cost: "1.00" })).json();
    expect(await (await capture(key, third.id, { cost: "0.40" })).json()).toMatchObject({ charged: "0.40" });
    expect(await dayTotals(allowing)).toMatchObject([{ spent: 2_650_000, held: 0 }]);
  });

  it("Proof 5: replayed authorizations, captures and voids change nothing; a reused key with another body is a 409", async () => {
    const ws = await workspace("spend-replay");
    const agentId = await agent(ws, 5_000_000);
    const key = await runtimeKey(ws);
    const idem = randomUUID();

    const replies = await Promise.all(Array.from({ length: 5 }, () => authorize(key, agentId, DOLLAR, idem)));
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const bodies = await Promise.all(replies.map((r) => r.json()));
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(bodies[0]).toMatchObject({ held: "1.00" });
    expect(await dayTotals(agentId)).toMatchObject([{ held: 1_000_000 }]);

    const reused = await authorize(key, agentId, { ...DOLLAR, max_output_tokens: 2 }, idem);
    expect(reused.status).toBe(409);
    expect((await reused.json()).error).toMatchObject({ code: "conflict", reason: "idempotency_key_reused" });

    const captures = await Promise.all(Array.from({ length: 4 }, () => capture(key, bodies[0].id, { output_tokens: 400_000 })));
    expect(captures.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    for (const c of await Promise.all(captures.map((r) => r.json()))) expect(c).toMatchObject({ state: "captured", charged: "0.40" });
    // A replay with other figures answers the settlement that stands.
    expect(await (await capture(key, bodies[0].id, { output_tokens: 1 })).json()).toMatchObject({ charged: "0.40" });
    expect((await release(key, bodies[0].id)).status).toBe(409);
    expect(await dayTotals(agentId)).toMatchObject([{ spent: 400_000, held: 0 }]);
    // The original authorization replayed after its capture still answers the same hold, and holds nothing more.
    expect(await (await authorize(key, agentId, DOLLAR, idem)).json()).toMatchObject({ id: bodies[0].id, held: "1.00" });

    const other = await (await authorize(key, agentId, DOLLAR)).json();
    const voids = await Promise.all(Array.from({ length: 3 }, () => release(key, other.id)));
    expect(voids.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await dayTotals(agentId)).toMatchObject([{ spent: 400_000, held: 0 }]);
  });

  it("refuses a missing or malformed Idempotency-Key (400), a malformed or unknown agent or hold (404), and paused or archived agents", async () => {
    const ws = await workspace("spend-input");
    const agentId = await agent(ws, 5_000_000);
    const paused = await agent(ws, 5_000_000, { state: "paused" });
    const archived = await agent(ws, 5_000_000, { state: "archived" });
    const key = await runtimeKey(ws);

    const missing = await authorize(key, agentId, DOLLAR, "");
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toMatchObject({ reason: "idempotency_key_required" });
    expect((await authorizePost(post(key, `/api/v1/agents/${agentId}/authorizations`, DOLLAR), { params: Promise.resolve({ agent: agentId }) })).status).toBe(400);
    expect((await authorize(key, "not-a-uuid", DOLLAR)).status).toBe(404);
    expect((await authorize(key, randomUUID(), DOLLAR)).status).toBe(404);
    expect((await capture(key, "1; DROP TABLE agents", { output_tokens: 1 })).status).toBe(404);
    expect((await release(key, randomUUID())).status).toBe(404);
    expect((await authorize(key, agentId, { model: METERED, input_tokens: 1 })).status).toBe(400);

    const pausedAnswer = await authorize(key, paused, DOLLAR);
    expect(pausedAnswer.status).toBe(409);
    expect((await pausedAnswer.json()).error).toMatchObject({ reason: "agent_paused" });
    const archivedAnswer = await authorize(key, archived, DOLLAR);
    expect(archivedAnswer.status).toBe(403);
    expect((await archivedAnswer.json()).error).toMatchObject({ reason: "agent_archived" });
  });

  it("void needs no body: none at all, an empty JSON body or {} all release; a body that is not JSON is refused", async () => {
    const ws = await workspace("spend-void-body");
    const agentId = await agent(ws, 2_000_000);
    const key = await runtimeKey(ws);
    const voidWith = (id: string, init: { body?: string; type?: string }) =>
      voidPost(
        new Request(`http://warden.test/api/v1/authorizations/${id}/void`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "x-request-id": `req-${randomUUID()}`, ...(init.type && { "content-type": init.type }) },
          ...(init.body !== undefined && { body: init.body }),
        }),
        { params: Promise.resolve({ id }) },
      );
    for (const init of [{}, { type: "application/json", body: "" }, { type: "application/json", body: "{}" }]) {
      const hold = await (await authorize(key, agentId, DOLLAR)).json();
      const voided = await voidWith(hold.id, init);
      expect(voided.status).toBe(200);
      expect(await voided.json()).toMatchObject({ id: hold.id, state: "voided", charged: "0.00" });
    }
    const hold = await (await authorize(key, agentId, DOLLAR)).json();
    expect((await voidWith(hold.id, { body: "release please" })).status).toBe(415);
    expect((await voidWith(hold.id, { type: "text/plain", body: "" })).status).toBe(415);
    expect((await voidWith(hold.id, { type: "application/json", body: '{"reason":"x"}' })).status).toBe(400);
    expect(await dayTotals(agentId)).toMatchObject([{ spent: 0, held: 1_000_000 }]);
  });

  it("Proof 6: a hold taken before midnight in the agent's zone and captured after is charged to the first day", async () => {
    const ws = await workspace("spend-midnight");
    const agentId = await agent(ws, 5_000_000, { zone: "Asia/Tokyo" });
    await runtimeKey(ws);
    const keyId = (await owner.query<{ id: string }>(`SELECT id FROM api_keys WHERE workspace_id = $1`, [ws.workspaceId])).rows[0].id;
    const actor = { type: "api_key" as const, id: keyId, label: "runtime" };

    // 23:59 in Tokyo on 2026-03-01 is 14:59 UTC.
    const hold = await withWorkspace(ws.workspaceId, (tx) =>
      authorizeSpend(tx, {
        workspaceId: ws.workspaceId,
        agentId,
        keyId,
        boundAgentId: null,
        idempotencyKey: randomUUID(),
        input: DOLLAR,
        actor,
        context: context(),
        at: new Date("2026-03-01T14:59:00Z"),
      }),
    );
    expect(hold.resets_at).toBe("2026-03-01T15:00:00.000Z");
    // After midnight: the next day's hold is on its own row.
    await withWorkspace(ws.workspaceId, (tx) =>
      authorizeSpend(tx, {
        workspaceId: ws.workspaceId,
        agentId,
        keyId,
        boundAgentId: null,
        idempotencyKey: randomUUID(),
        input: DOLLAR,
        actor,
        context: context(),
        at: new Date("2026-03-01T15:01:00Z"),
      }),
    );
    const settled = await withWorkspace(ws.workspaceId, (tx) =>
      settleHold(tx, { workspaceId: ws.workspaceId, holdId: hold.id, boundAgentId: null, capture: { output_tokens: 300_000 }, actor, context: context() }),
    );
    expect(settled).toMatchObject({ day: "2026-03-01", charged: "0.30" });
    expect(await dayTotals(agentId)).toMatchObject([
      { day: "2026-03-01", spent: 300_000, held: 0 },
      { day: "2026-03-02", spent: 0, held: 1_000_000 },
    ]);
  });

  it("Proof 6: a DST day in America/New_York is 23 hours long in March and 25 in November", async () => {
    const ws = await workspace("spend-dst");
    const agentId = await agent(ws, 50_000_000, { zone: "America/New_York" });
    await runtimeKey(ws);
    const keyId = (await owner.query<{ id: string }>(`SELECT id FROM api_keys WHERE workspace_id = $1`, [ws.workspaceId])).rows[0].id;
    const actor = { type: "api_key" as const, id: keyId, label: "runtime" };
    const resetsAt = async (at: string) =>
      new Date(
        (
          await withWorkspace(ws.workspaceId, (tx) =>
            authorizeSpend(tx, {
              workspaceId: ws.workspaceId,
              agentId,
              keyId,
              boundAgentId: null,
              idempotencyKey: randomUUID(),
              input: { ...DOLLAR, max_output_tokens: 1 },
              actor,
              context: context(),
              at: new Date(at),
            }),
          )
        ).resets_at,
      ).getTime();
    const HOUR = 3_600_000;
    // 2026-03-08 starts at 05:00Z (EST) and ends at 04:00Z the next day (EDT).
    expect(await resetsAt("2026-03-07T12:00:00Z")).toBe(Date.parse("2026-03-08T05:00:00Z"));
    expect((await resetsAt("2026-03-08T12:00:00Z")) - (await resetsAt("2026-03-07T12:00:00Z"))).toBe(23 * HOUR);
    // 2026-11-01 starts at 04:00Z (EDT) and ends at 05:00Z the next day (EST).
    expect((await resetsAt("2026-11-01T12:00:00Z")) - (await resetsAt("2026-10-31T12:00:00Z"))).toBe(25 * HOUR);
    expect(await resetsAt("2026-11-01T12:00:00Z")).toBe(Date.parse("2026-11-02T05:00:00Z"));
  });

  it("Proof 8: with PostgreSQL unreachable, authorization answers 503 and allows nothing", async () => {
    const ws = await workspace("spend-down");
    const agentId = await agent(ws, 5_000_000);
    const key = await runtimeKey(ws);
    const globals = globalThis as unknown as { wardenPrisma?: PrismaClient };
    const real = globals.wardenPrisma;
    // A client whose every connection is refused: nothing listens on port 1.
    const unreachable = new PrismaClient({ adapter: new PrismaPg({ connectionString: "postgresql://warden_app@127.0.0.1:1/warden", connectionTimeoutMillis: 2_000 }) });
    globals.wardenPrisma = unreachable;
    try {
      const response = await authorize(key, agentId, DOLLAR);
      expect(response.status).toBe(503);
      expect((await response.json()).error).toMatchObject({ code: "unavailable" });
      expect(response.headers.get("retry-after")).toBe("5");
    } finally {
      globals.wardenPrisma = real;
      await unreachable.$disconnect();
    }
    expect(await dayTotals(agentId)).toEqual([]);
    expect((await authorize(key, agentId, DOLLAR)).status).toBe(201);
  });

  it("Proof 9: each threshold is alerted once per agent day, in the audit log, even under parallel holds", async () => {
    const ws = await workspace("spend-alerts");
    const agentId = await agent(ws, 10_000_000);
    const key = await runtimeKey(ws);

    const responses = await Promise.all(Array.from({ length: 15 }, () => authorize(key, agentId, DOLLAR)));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(10);
    const alerts = async () =>
      (
        await owner.query<{ threshold: number }>(
          `SELECT (metadata->>'threshold')::int AS threshold FROM audit_events WHERE workspace_id = $1 AND action = 'agent.budget_alert' AND target_id = $2 ORDER BY seq`,
          [ws.workspaceId, agentId],
        )
      ).rows.map((r) => r.threshold);
    expect(await alerts()).toEqual([50, 80, 100]);
    expect((await dayTotals(agentId))[0].alerted.sort((a, b) => a - b)).toEqual([50, 80, 100]);

    // Settling and spending again the same day alerts nothing new.
    const held = await owner.query<{ id: string }>(`SELECT id FROM spend_holds WHERE agent_id = $1`, [agentId]);
    await Promise.all(held.rows.map((h) => release(key, h.id)));
    await Promise.all(Array.from({ length: 10 }, () => authorize(key, agentId, DOLLAR)));
    expect(await alerts()).toEqual([50, 80, 100]);
  });

  it("Proof 10: a key bound to agent A cannot act for agent B, whose agent and holds look missing", async () => {
    const ws = await workspace("spend-bound");
    const a = await agent(ws, 5_000_000);
    const b = await agent(ws, 5_000_000);
    const boundToA = await runtimeKey(ws, { agentId: a });
    const unbound = await runtimeKey(ws);
    const other = await workspace("spend-bound-other");
    const outsider = await runtimeKey(other);

    expect((await authorize(boundToA, a, DOLLAR)).status).toBe(201);
    const denied = await authorize(boundToA, b, DOLLAR);
    expect(denied.status).toBe(404);
    expect((await denied.json()).error).toMatchObject({ code: "not_found", reason: "agent_not_found" });
    expect((await authorize(outsider, a, DOLLAR)).status).toBe(404);

    const bHold = await (await authorize(unbound, b, DOLLAR)).json();
    expect((await capture(boundToA, bHold.id, { output_tokens: 1 })).status).toBe(404);
    expect((await release(boundToA, bHold.id)).status).toBe(404);
    expect((await release(outsider, bHold.id)).status).toBe(404);
    expect(await dayTotals(b)).toMatchObject([{ spent: 0, held: 1_000_000 }]);

    // Without the scope, or when the creator lost agents.manage, the key is refused.
    const noScope = await runtimeKey(ws, { scopes: ["audit:read"] });
    expect((await authorize(noScope, a, DOLLAR)).status).toBe(403);
  });
});

describe("metrics", () => {
  // It counts answers: an idempotent replay answers 201 again and is counted again.
  it("warden_spend_authorizations_total counts each answer once, by outcome", async () => {
    const { metrics } = await import("../../lib/metrics/registry");
    const count = async (outcome: string) => (await metrics().spendAuthorizations.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
    const ws = await workspace("spend-metrics");
    const id = await agent(ws, 1_000_000);
    const key = await runtimeKey(ws);
    const before = { admitted: await count("admitted"), exhausted: await count("budget_exhausted") };
    const idempotencyKey = randomUUID();
    expect((await authorize(key, id, DOLLAR, idempotencyKey)).status).toBe(201);
    expect((await authorize(key, id, DOLLAR, idempotencyKey)).status).toBe(201);
    expect((await authorize(key, id, DOLLAR)).status).toBe(402);
    expect(await count("admitted")).toBe(before.admitted + 2);
    expect(await count("budget_exhausted")).toBe(before.exhausted + 1);
  });
});
