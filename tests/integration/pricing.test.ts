import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { appClient, context, ownerClient, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { signInAs } from "../support/request-stub";
import { withWorkspace } from "../../lib/db/with-workspace";
import { seedBundledPrices } from "../../lib/pricing/seed-bundled-prices";
import { priceFor } from "../../lib/pricing/price-for";
import { setModelPrice } from "../../lib/pricing/set-model-price";
import { listModelPrices } from "../../lib/pricing/list-model-prices";
import { BUNDLED_PRICES, BUNDLED_PRICES_DATE, BUNDLED_SOURCE } from "../../lib/pricing/bundled-prices";
import { idle } from "../../lib/actions/action-state";

// Model prices: seeded from the bundled file once per workspace however many
// first views race, looked up by day (latest effective_from not after it), edited
// by owners and admins with before/after in the audit log; and, with agents,
// invisible and unwritable across workspaces (RLS).

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const { setModelPrice: setModelPriceAction } = await import("../../lib/actions/pricing/set-model-price");

let owner: pg.Client;
let app: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
  app = await appClient();
});
afterAll(async () => {
  await owner.end();
  await app.end();
});

const actor = (ws: SeededWorkspace) => ({ type: "user" as const, id: ws.ownerId, label: ws.ownerEmail });
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
const set = (ws: SeededWorkspace, model: string, input: bigint, output: bigint, effectiveFrom?: string) =>
  withWorkspace(ws.workspaceId, (tx) =>
    setModelPrice(tx, { workspaceId: ws.workspaceId, input: { model, inputPerMtok: input, outputPerMtok: output, effectiveFrom }, actor: actor(ws), context: context(), today: "2026-11-23" }),
  );
const price = (ws: SeededWorkspace, model: string, day: string) => withWorkspace(ws.workspaceId, (tx) => priceFor(tx, ws.workspaceId, model, day));

describe("bundled prices", () => {
  it("parallel first views seed each bundled model exactly once, from the bundle's date", async () => {
    const ws = await seedWorkspace(owner, "pricing");
    const inserted = await Promise.all(Array.from({ length: 8 }, () => withWorkspace(ws.workspaceId, (tx) => seedBundledPrices(tx, ws.workspaceId))));
    expect(inserted.reduce((a, b) => a + b, 0)).toBe(BUNDLED_PRICES.length);
    const { rows } = await owner.query(`SELECT model, count(*)::int AS n, min(source) AS source, min(effective_from)::text AS day FROM model_prices WHERE workspace_id = $1 GROUP BY model`, [
      ws.workspaceId,
    ]);
    expect(rows).toHaveLength(BUNDLED_PRICES.length);
    for (const row of rows) expect(row).toMatchObject({ n: 1, source: BUNDLED_SOURCE, day: BUNDLED_PRICES_DATE });
    const views = await Promise.all([0, 1, 2].map(() => withWorkspace(ws.workspaceId, (tx) => listModelPrices(tx, ws.workspaceId, "2026-11-23"))));
    expect(views[0].find((p) => p.model === "gpt-4o")).toMatchObject({ inputPerMtok: "2.50", outputPerMtok: "10.00", source: BUNDLED_SOURCE });
  });

  it("priceFor seeds on a first miss and answers null for an unknown model or a day before any price", async () => {
    const ws = await seedWorkspace(owner, "pricing");
    expect(await price(ws, "gpt-4o-mini", "2026-11-23")).toEqual({ inputPerMtok: 150_000n, outputPerMtok: 600_000n });
    expect(await price(ws, "no-such-model", "2026-11-23")).toBeNull();
    expect(await price(ws, "gpt-4o-mini", "2020-01-01")).toBeNull();
  });
});

describe("editing prices", () => {
  it("a new price takes effect from its day, audited with the price in effect before and after", async () => {
    const ws = await seedWorkspace(owner, "pricing");
    await set(ws, "gpt-4o", 3_000_000n, 12_000_000n, "2026-12-01");
    expect(await price(ws, "gpt-4o", "2026-11-30")).toEqual({ inputPerMtok: 2_500_000n, outputPerMtok: 10_000_000n });
    expect(await price(ws, "gpt-4o", "2026-12-01")).toEqual({ inputPerMtok: 3_000_000n, outputPerMtok: 12_000_000n });
    await set(ws, "in-house-llm", 1n, 2n);
    const { rows } = await owner.query(`SELECT target_type, target_id, metadata FROM audit_events WHERE workspace_id = $1 AND action = 'pricing.changed' ORDER BY seq`, [ws.workspaceId]);
    expect(rows.map((r) => r.metadata)).toEqual([
      { model: "gpt-4o", effective_from: "2026-12-01", before: { input_per_mtok: "2.50", output_per_mtok: "10.00" }, after: { input_per_mtok: "3.00", output_per_mtok: "12.00" } },
      { model: "in-house-llm", effective_from: "2026-11-23", before: null, after: { input_per_mtok: "0.000001", output_per_mtok: "0.000002" } },
    ]);
    expect(rows[0]).toMatchObject({ target_type: "model_price", target_id: "gpt-4o" });
  });

  it("parallel edits of one model serialize: each audit's before is the previous after", async () => {
    const ws = await seedWorkspace(owner, "pricing");
    await Promise.all([1n, 2n, 3n, 4n].map((n) => set(ws, "gpt-4.1", n * 1_000_000n, n * 1_000_000n, "2026-11-23")));
    const { rows } = await owner.query(`SELECT metadata FROM audit_events WHERE workspace_id = $1 AND action = 'pricing.changed' ORDER BY seq`, [ws.workspaceId]);
    expect(rows[0].metadata.before).toEqual({ input_per_mtok: "2.00", output_per_mtok: "8.00" });
    for (let i = 1; i < rows.length; i++) expect(rows[i].metadata.before).toEqual(rows[i - 1].metadata.after);
  });

  it("an admin edits a price through the action; a developer is refused; a bad price is a field error", async () => {
    const ws = await seedWorkspace(owner, "pricing");
    const fields = { workspace: ws.slug, model: "gpt-4o", inputPerMtok: "2.75", outputPerMtok: "11", effectiveFrom: "" };
    const developer = await seedMember(owner, ws.workspaceId, "developer");
    await signInAs(owner, developer.id);
    expect(await setModelPriceAction(idle, form(fields))).toMatchObject({ status: "error", code: "forbidden" });
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    await signInAs(owner, admin.id);
    expect(await setModelPriceAction(idle, form({ ...fields, inputPerMtok: "-1" }))).toMatchObject({ status: "error", fieldErrors: { inputPerMtok: [expect.any(String)] } });
    expect(await setModelPriceAction(idle, form(fields))).toMatchObject({ status: "ok" });
  });
});

describe("isolation of agents and model prices (RLS)", () => {
  async function inWorkspace<T>(workspaceId: string | null, work: () => Promise<T>): Promise<T> {
    await app.query("BEGIN");
    try {
      if (workspaceId) await app.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
      return await work();
    } finally {
      await app.query("ROLLBACK");
    }
  }

  it("another workspace's agents and prices are invisible and unwritable; nothing is visible without a context", async () => {
    const a = await seedWorkspace(owner, "iso");
    const b = await seedWorkspace(owner, "iso");
    for (const ws of [a, b]) {
      await owner.query(`INSERT INTO agents (workspace_id, name, daily_cap_micros) VALUES ($1, 'bot', 1000000)`, [ws.workspaceId]);
      await withWorkspace(ws.workspaceId, (tx) => seedBundledPrices(tx, ws.workspaceId));
    }
    const agentB = (await owner.query<{ id: string }>(`SELECT id FROM agents WHERE workspace_id = $1`, [b.workspaceId])).rows[0].id;
    for (const table of ["agents", "model_prices"]) {
      const seen = await inWorkspace(a.workspaceId, () => app.query(`SELECT DISTINCT workspace_id::text FROM ${table}`));
      expect(seen.rows.map((r) => r.workspace_id)).toEqual([a.workspaceId]);
      expect((await inWorkspace(null, () => app.query(`SELECT count(*)::int AS n FROM ${table}`))).rows[0].n).toBe(0);
    }
    const renamed = await inWorkspace(a.workspaceId, () => app.query(`UPDATE agents SET daily_cap_micros = 0 WHERE id = $1`, [agentB]));
    expect(renamed.rowCount).toBe(0);
    await expect(inWorkspace(a.workspaceId, () => app.query(`INSERT INTO agents (workspace_id, name, daily_cap_micros) VALUES ($1, 'intruder', 1)`, [b.workspaceId]))).rejects.toThrow(
      /row-level security/,
    );
    await expect(
      inWorkspace(a.workspaceId, () =>
        app.query(`INSERT INTO model_prices (workspace_id, model, input_micros_per_mtok, output_micros_per_mtok, effective_from) VALUES ($1, $2, 0, 0, '2026-01-01')`, [
          b.workspaceId,
          `m-${randomUUID()}`,
        ]),
      ),
    ).rejects.toThrow(/row-level security/);
    const wiped = await inWorkspace(a.workspaceId, () => app.query(`DELETE FROM model_prices WHERE workspace_id = $1`, [b.workspaceId]));
    expect(wiped.rowCount).toBe(0);
  });
});
