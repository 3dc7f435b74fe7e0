import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { ownerClient, seedMember, seedWorkspace } from "../support/owner-db";
import { signInAs } from "../support/request-stub";
import { previewSecurityPolicy } from "../../lib/actions/security/preview-security-policy";
import { idle } from "../../lib/actions/action-state";

// Before a policy is saved, the form asks the server who it would force to
// enroll; only those who may change the policy get an answer.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

describe("the policy preview", () => {
  it("lists the members without MFA that the chosen policy would cover", async () => {
    const ws = await seedWorkspace(owner, "preview");
    await owner.query(`UPDATE users SET mfa_enabled_at = now() WHERE id = $1`, [ws.ownerId]);
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    const viewer = await seedMember(owner, ws.workspaceId, "viewer");
    await signInAs(owner, ws.ownerId);
    const emails = async (mfaPolicy: string) => {
      const state = await previewSecurityPolicy(idle, form({ workspace: ws.slug, mfaPolicy }));
      if (state.status !== "ok") throw new Error(JSON.stringify(state));
      return state.data.members.map((m) => m.email).sort();
    };
    expect(await emails("none")).toEqual([]);
    expect(await emails("admins")).toEqual([admin.email]);
    expect(await emails("all")).toEqual([admin.email, viewer.email].sort());
    // A preview changes nothing.
    const { rows } = await owner.query(`SELECT mfa_policy FROM workspaces WHERE id = $1`, [ws.workspaceId]);
    expect(rows[0].mfa_policy).toBe("none");
  });

  it("an admin, who may not change the policy, gets no names", async () => {
    const ws = await seedWorkspace(owner, "preview");
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    await signInAs(owner, admin.id);
    const state = await previewSecurityPolicy(idle, form({ workspace: ws.slug, mfaPolicy: "all" }));
    expect(state.status).toBe("error");
    expect(JSON.stringify(state)).not.toContain(ws.ownerEmail);
  });
});
