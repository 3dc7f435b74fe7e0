import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { ownerClient, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { recordAuditEvent } from "../../lib/audit/record-audit-event";
import type { AuditAction } from "../../lib/audit/audit-actions";

let owner: pg.Client;
let ws: SeededWorkspace;
const context = { ip: "203.0.113.7", userAgent: "vitest", requestId: "req-audit-writer-1" };

beforeAll(async () => {
  owner = await ownerClient();
  ws = await seedWorkspace(owner, "audit");
});
afterAll(() => owner.end());

describe("recordAuditEvent", () => {
  it("stores actor, target, request details and metadata in the change's transaction, with secrets redacted", async () => {
    await withWorkspace(ws.workspaceId, async (tx) => {
      await tx.workspace.update({ where: { id: ws.workspaceId }, data: { name: "Renamed" } });
      await recordAuditEvent(tx, {
        workspaceId: ws.workspaceId,
        actor: { type: "user", id: ws.ownerId, label: ws.ownerEmail },
        action: "workspace.created",
        target: { type: "workspace", id: ws.workspaceId },
        metadata: { before: { name: ws.slug }, after: { name: "Renamed" }, password: "never-stored-pw" },
        context,
      });
    });
    const { rows } = await owner.query(`SELECT * FROM audit_events WHERE request_id = $1`, [context.requestId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      workspace_id: ws.workspaceId,
      actor_type: "user",
      actor_id: ws.ownerId,
      action: "workspace.created",
      target_type: "workspace",
      target_id: ws.workspaceId,
      ip: "203.0.113.7",
      user_agent: "vitest",
    });
    expect(rows[0].metadata).toEqual({ before: { name: ws.slug }, after: { name: "Renamed" }, password: "[redacted]" });
    expect(JSON.stringify(rows[0])).not.toContain("never-stored-pw");
  });

  it("rolls the change back when the audit insert fails", async () => {
    await expect(
      withWorkspace(ws.workspaceId, async (tx) => {
        await tx.workspace.update({ where: { id: ws.workspaceId }, data: { name: "Must not land" } });
        await recordAuditEvent(tx, {
          workspaceId: ws.workspaceId,
          actor: { type: "system", label: "test" },
          action: "Not A Valid Action" as AuditAction,
          context,
        });
      }),
    ).rejects.toThrow();
    const { rows } = await owner.query(`SELECT name FROM workspaces WHERE id = $1`, [ws.workspaceId]);
    expect(rows[0].name).not.toBe("Must not land");
  });

  it("cannot write an event into another workspace", async () => {
    const other = await seedWorkspace(owner, "audit-other");
    await expect(
      withWorkspace(ws.workspaceId, (tx) => recordAuditEvent(tx, { workspaceId: other.workspaceId, actor: { type: "system", label: "t" }, action: "workspace.created", context })),
    ).rejects.toThrow();
  });
});
