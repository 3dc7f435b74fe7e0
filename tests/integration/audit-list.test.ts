import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { appendAuditEvents, ownerClient, seedWorkspace } from "../support/owner-db";
import type { AuditAction } from "../../lib/audit/audit-actions";
import { withWorkspace } from "../../lib/db/with-workspace";
import { listAuditEvents, type AuditPosition } from "../../lib/audit/list-audit-events";
import { auditFilterSchema } from "../../lib/audit/schemas";

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

/** Backdated events, through the one writer as the owner (who alone may backdate). */
const insert = (workspaceId: string, rows: { actor: string; action: AuditAction; target: string; at: string }[]) =>
  appendAuditEvents(
    owner,
    workspaceId,
    rows.map((r) => ({
      actor: { type: "user", id: r.actor, label: "member" },
      action: r.action,
      target: { type: "user", id: r.target },
      occurredAt: new Date(r.at),
      context: { ip: null, userAgent: null, requestId: null },
    })),
  );

const page = (workspaceId: string, filters: Record<string, unknown>, position?: AuditPosition, now?: Date) =>
  withWorkspace(workspaceId, (tx) => listAuditEvents(tx, { workspaceId, filters: auditFilterSchema.parse(filters), position, limit: 3, now }));

describe("listAuditEvents", () => {
  it("applies actor, actions, target and a relative range together", async () => {
    const ws = await seedWorkspace(owner, "list-filters");
    const [a, b] = [randomUUID(), randomUUID()];
    await insert(ws.workspaceId, [
      { actor: a, action: "member.removed", target: "t1", at: "2026-11-20T08:00:00Z" }, // outside 24h
      { actor: a, action: "member.removed", target: "t1", at: "2026-11-21T13:00:00Z" }, // match
      { actor: b, action: "member.removed", target: "t1", at: "2026-11-21T14:00:00Z" }, // other actor
      { actor: a, action: "session.revoked", target: "t1", at: "2026-11-21T15:00:00Z" }, // other action
      { actor: a, action: "member.role_changed", target: "t2", at: "2026-11-21T16:00:00Z" }, // other target
      { actor: a, action: "member.role_changed", target: "t1", at: "2026-11-21T17:00:00Z" }, // match
    ]);
    const result = await page(
      ws.workspaceId,
      { actor: `user:${a}`, action: ["member.removed", "member.role_changed"], target_type: "user", target_id: "t1", range: "24h" },
      undefined,
      new Date("2026-11-22T09:00:00Z"),
    );
    expect(result.events.map((e) => [e.action, e.occurred_at])).toEqual([
      ["member.role_changed", "2026-11-21T17:00:00.000Z"],
      ["member.removed", "2026-11-21T13:00:00.000Z"],
    ]);
    expect(result).toMatchObject({ olderCursor: null, newerCursor: null });
  });

  it("pages older and back newer exactly while events keep arriving", async () => {
    const ws = await seedWorkspace(owner, "list-pages");
    const actor = randomUUID();
    const row = (i: number) => ({ actor, action: "member.role_changed" as const, target: `t${i}`, at: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString() });
    await insert(
      ws.workspaceId,
      Array.from({ length: 8 }, (_, i) => row(i)),
    );
    const mine = { actor: `user:${actor}` };

    const first = await page(ws.workspaceId, mine);
    await insert(ws.workspaceId, [row(100), row(101)]); // arrive between pages
    const second = await page(ws.workspaceId, mine, { before: BigInt(first.olderCursor!) });
    await insert(ws.workspaceId, [row(102)]);
    const third = await page(ws.workspaceId, mine, { before: BigInt(second.olderCursor!) });
    const targets = (p: typeof first) => p.events.map((e) => e.target!.id);
    expect([...targets(first), ...targets(second), ...targets(third)]).toEqual(["t7", "t6", "t5", "t4", "t3", "t2", "t1", "t0"]);
    expect(third.olderCursor).toBeNull();

    // Back towards the newest: the page above the second is exactly the first again.
    const back = await page(ws.workspaceId, mine, { after: BigInt(second.newerCursor!) });
    expect(targets(back)).toEqual(["t7", "t6", "t5"]);
    // And the new arrivals are there, above it.
    expect(back.newerCursor).not.toBeNull();
    const newest = await page(ws.workspaceId, mine, { after: BigInt(back.newerCursor!) });
    expect(targets(newest)).toEqual(["t102", "t101", "t100"]);
    expect(newest.newerCursor).toBeNull();
  });
});
