import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { ownerClient, seedMember, seedWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { AppError } from "../../lib/errors";

// A refusal PostgreSQL makes at COMMIT reaches the person as a clear AppError,
// translated once in withWorkspace. The writes below skip the domain functions'
// own check on purpose, so only the deferred trigger stands in the way.

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const LAST_OWNER = "This is the workspace's last owner. Make someone else an owner first.";
const owners = async (workspaceId: string) => (await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM memberships WHERE workspace_id = $1 AND role = 'owner'`, [workspaceId])).rows[0].n;

describe("the last-owner trigger, through withWorkspace", () => {
  it("a commit that would leave no owner is refused with a conflict that says why, not a generic failure", async () => {
    const ws = await seedWorkspace(owner, "refusal");
    const refused = withWorkspace(ws.workspaceId, (tx) => tx.$executeRaw`UPDATE memberships SET role = 'admin' WHERE workspace_id = ${ws.workspaceId}::uuid`);
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ code: "conflict", status: 409, message: LAST_OWNER });
    expect(await owners(ws.workspaceId)).toBe(1);
  });

  it("two owners removed at once without the app's check: one commits, the other is told it is the last owner", async () => {
    for (let round = 0; round < 3; round++) {
      const ws = await seedWorkspace(owner, "refusal");
      const second = await seedMember(owner, ws.workspaceId, "owner");
      const results = await Promise.allSettled(
        [ws.ownerId, second.id].map((id) => withWorkspace(ws.workspaceId, (tx) => tx.$executeRaw`DELETE FROM memberships WHERE workspace_id = ${ws.workspaceId}::uuid AND user_id = ${id}::uuid`)),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "conflict", message: LAST_OWNER } });
      expect(await owners(ws.workspaceId)).toBe(1);
    }
  });

  it("other database errors and the work's own AppErrors pass through unchanged", async () => {
    const ws = await seedWorkspace(owner, "refusal");
    const own = new AppError("forbidden", "not yours");
    await expect(withWorkspace(ws.workspaceId, async () => Promise.reject(own))).rejects.toBe(own);
    const duplicate = withWorkspace(ws.workspaceId, (tx) => tx.$executeRaw`INSERT INTO memberships (workspace_id, user_id, role) VALUES (${ws.workspaceId}::uuid, ${ws.ownerId}::uuid, 'admin')`);
    await expect(duplicate).rejects.not.toBeInstanceOf(AppError);
  });
});
