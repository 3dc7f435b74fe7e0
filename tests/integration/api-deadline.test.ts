import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { ownerClient, seedWorkspace } from "../support/owner-db";
import { jsonRequest, seedAgent, seedRuntimeKey } from "../support/seed-agents";
import { apiRoute } from "../../lib/api/api-route";
import { API_V1 } from "../../lib/api/v1-routes";

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);

// Every /api/v1 request is answered in time: a 503 in JSON when its work runs past
// the deadline, and nothing that work wrote is kept (its transaction ends first).

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

describe("the /api/v1 deadline", () => {
  it("a request whose work runs past the deadline answers 503 in JSON, and what it wrote is rolled back", async () => {
    const ws = await seedWorkspace(owner, "deadline");
    const agent = await seedAgent(owner, ws.workspaceId, { name: "before" });
    const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["runtime:usage"]);
    const slow = apiRoute(
      API_V1.ingestUsageEvents,
      async ({ tx }) => {
        await tx.$executeRaw`UPDATE agents SET name = 'written by a late request' WHERE id = ${agent}::uuid`;
        await tx.$queryRaw`SELECT pg_sleep(5)`;
        return { accepted: 0, duplicates: 0, captured: 0 };
      },
      { timeoutMs: 2_000 },
    );
    const started = Date.now();
    const response = await slow(
      jsonRequest("http://warden.test/api/v1/usage/events", key, { events: [{ id: randomUUID(), type: "tool.invoked", agent, occurred_at: new Date().toISOString(), tool: "t" }] }),
    );
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(4_500);
    const body = await response.json();
    expect(body.error).toMatchObject({ code: "unavailable", reason: "timeout" });
    expect(body.error.message).toContain("2 seconds");
    // Give the abandoned transaction time to be rolled back on its own deadline, then look.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect((await owner.query(`SELECT name FROM agents WHERE id = $1`, [agent])).rows[0].name).toBe("before");
  });

  it("a request within its time is answered as usual", async () => {
    const ws = await seedWorkspace(owner, "deadline-ok");
    const agent = await seedAgent(owner, ws.workspaceId);
    const { key } = await seedRuntimeKey(owner, ws.workspaceId, ws.ownerId, ["runtime:usage"]);
    const quick = apiRoute(API_V1.ingestUsageEvents, async () => ({ accepted: 1, duplicates: 0, captured: 0 }), { timeoutMs: 2_000 });
    const response = await quick(
      jsonRequest("http://warden.test/api/v1/usage/events", key, { events: [{ id: randomUUID(), type: "tool.invoked", agent, occurred_at: new Date().toISOString(), tool: "t" }] }),
    );
    expect(response.status).toBe(200);
  });
});
