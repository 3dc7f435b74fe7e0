import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { ownerClient, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { jsonRequest, seedAgent, seedRuntimeKey } from "../support/seed-agents";
import { sweepExpiredHolds } from "../../lib/spend/sweep-expired-holds";
import { POST as capturePost } from "../../app/api/v1/authorizations/[id]/capture/route";

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

/** A hold of `micros` on the agent's today, `minutesAgo` old (10 minutes is the limit). */
async function hold(ws: SeededWorkspace, agentId: string, micros: number, minutesAgo: number) {
  await owner.query(
    `INSERT INTO agent_days (workspace_id, agent_id, day, held_micros) VALUES ($1, $2, current_date, $3)
     ON CONFLICT (agent_id, day) DO UPDATE SET held_micros = agent_days.held_micros + EXCLUDED.held_micros`,
    [ws.workspaceId, agentId, micros],
  );
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO spend_holds (workspace_id, agent_id, day, idempotency_key, request_hash, model, held_micros, expires_at, created_at)
     VALUES ($1, $2, current_date, $3, 'h', 'm', $4, now() + make_interval(mins => 10 - $5::int), now() - make_interval(mins => $5::int)) RETURNING id::text`,
    [ws.workspaceId, agentId, randomUUID(), micros, minutesAgo],
  );
  return rows[0].id;
}

const state = async (id: string) => (await owner.query(`SELECT state, charged_micros::int AS charged FROM spend_holds WHERE id = $1`, [id])).rows[0];
const day = async (agentId: string) => (await owner.query(`SELECT spent_micros::int AS spent, held_micros::int AS held FROM agent_days WHERE agent_id = $1`, [agentId])).rows[0];

describe("the expired-hold sweep", () => {
  it("charges every workspace's holds past their 10 minutes at their held amount, and leaves younger holds held", async () => {
    const first = await seedWorkspace(owner, "sweep-a");
    const second = await seedWorkspace(owner, "sweep-b");
    const a = await seedAgent(owner, first.workspaceId);
    const b = await seedAgent(owner, second.workspaceId);
    const staleA = await hold(first, a, 300, 11);
    const freshA = await hold(first, a, 200, 2);
    const staleB = await hold(second, b, 700, 30);

    const { expired, workspaces } = await sweepExpiredHolds();
    expect(expired).toBeGreaterThanOrEqual(2);
    expect(workspaces).toBeGreaterThanOrEqual(2);
    expect(await state(staleA)).toEqual({ state: "expired", charged: 300 });
    expect(await state(staleB)).toEqual({ state: "expired", charged: 700 });
    expect(await state(freshA)).toEqual({ state: "held", charged: null });
    expect(await day(a)).toEqual({ spent: 300, held: 200 });
    expect(await day(b)).toEqual({ spent: 700, held: 0 });

    // A second pass finds nothing more of these.
    await sweepExpiredHolds();
    expect(await day(a)).toEqual({ spent: 300, held: 200 });
  });

  it("racing a capture through the API, the sweep and the capture settle an overdue hold once, at its held amount", async () => {
    const ws = await seedWorkspace(owner, "sweep-race");
    const agentId = await seedAgent(owner, ws.workspaceId);
    const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["runtime:spend"]);
    const ids = await Promise.all(Array.from({ length: 10 }, () => hold(ws, agentId, 1_000, 12)));
    const captures = ids.map((id) => capturePost(jsonRequest(`http://warden.test/api/v1/authorizations/${id}/capture`, key, { cost: "0.0001" }), { params: Promise.resolve({ id }) }));
    const [answers] = await Promise.all([Promise.all(captures), sweepExpiredHolds(), sweepExpiredHolds()]);
    for (const answer of answers) expect(await answer.json()).toMatchObject({ state: "expired", charged: "0.001" });
    expect(await day(agentId)).toEqual({ spent: 10_000, held: 0 });
  });

  it("a workspace whose rows refuse the charge is reported and does not keep another's holds held", async () => {
    const broken = await seedWorkspace(owner, "sweep-broken");
    const fine = await seedWorkspace(owner, "sweep-fine");
    const a = await seedAgent(owner, broken.workspaceId);
    const b = await seedAgent(owner, fine.workspaceId);
    const stuck = await hold(broken, a, 500, 15);
    // Held on the hold but not on the day row: charging it would make held negative.
    await owner.query(`UPDATE agent_days SET held_micros = 0 WHERE agent_id = $1`, [a]);
    const charged = await hold(fine, b, 400, 15);
    const { failed } = await sweepExpiredHolds();
    expect(failed.map((f) => f.workspaceId)).toContain(broken.workspaceId);
    expect(await state(stuck)).toEqual({ state: "held", charged: null });
    expect(await state(charged)).toEqual({ state: "expired", charged: 400 });
    await owner.query(`UPDATE spend_holds SET state = 'voided', charged_micros = 0 WHERE id = $1`, [stuck]);
  });

  it("the workspace list crosses the tenant boundary only as ids, and only the application role may call it", async () => {
    const { rows } = await owner.query(`SELECT prosecdef, pg_get_function_result(oid) AS result FROM pg_proc WHERE proname = 'workspaces_with_expired_holds'`);
    expect(rows).toEqual([{ prosecdef: true, result: "SETOF uuid" }]);
    const grants = await owner.query(`SELECT grantee FROM information_schema.routine_privileges WHERE routine_name = 'workspaces_with_expired_holds' AND privilege_type = 'EXECUTE' ORDER BY grantee`);
    expect(grants.rows.map((r) => r.grantee)).not.toContain("PUBLIC");
  });
});
