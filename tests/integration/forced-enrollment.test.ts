import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { ownerClient, seedMember, seedWorkspace } from "../support/owner-db";
import { signInAs } from "../support/request-stub";

// A member whose workspace requires MFA and who has none is sent to enroll, and
// comes back to the page they opened; the banner names the workspace.

let requestPath: string | null = null;
vi.mock("next/headers", async () => {
  const stub = (await import("../support/request-stub")).nextHeaders;
  return {
    ...stub,
    headers: async () => {
      const h = await stub.headers();
      if (requestPath !== null) h.set("x-warden-path", requestPath);
      return h;
    },
  };
});

const { requireWorkspace } = await import("../../lib/workspaces/require-workspace");
const { enrollmentReturn } = await import("../../lib/mfa/enrollment-return");

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());
beforeEach(() => {
  requestPath = null;
});

async function heldMember() {
  const ws = await seedWorkspace(owner, "enroll");
  await owner.query(`UPDATE workspaces SET mfa_policy = 'all', name = 'Acme Agents' WHERE id = $1`, [ws.workspaceId]);
  const member = await seedMember(owner, ws.workspaceId, "developer");
  await signInAs(owner, member.id);
  return { ws, member };
}

/** Where requireWorkspace redirected to. */
async function redirectOf(slug: string): Promise<string> {
  try {
    await requireWorkspace(slug);
  } catch (error) {
    const digest = String((error as { digest?: string }).digest ?? "");
    if (digest.startsWith("NEXT_REDIRECT")) return digest.split(";")[2];
    throw error;
  }
  throw new Error("no redirect");
}

describe("forced enrollment", () => {
  it("sends a member without MFA to enroll with the page they opened as the way back", async () => {
    const { ws } = await heldMember();
    requestPath = `/w/${ws.slug}/audit?action=member.role_changed&_rsc=abc`;
    const to = new URL(await redirectOf(ws.slug), "http://x");
    expect(to.pathname).toBe("/account/security");
    expect(to.searchParams.get("required")).toBe(ws.slug);
    expect(to.searchParams.get("next")).toBe(`/w/${ws.slug}/audit?action=member.role_changed`);
  });

  it("never carries a way back outside the workspace", async () => {
    const { ws } = await heldMember();
    for (const path of ["//evil.example/x", "/w/other-workspace/audit", `/w/${ws.slug}x/audit`, "/\\evil.example"]) {
      requestPath = path;
      const to = new URL(await redirectOf(ws.slug), "http://x");
      expect(to.searchParams.get("next"), path).toBe(`/w/${ws.slug}`);
    }
  });

  it("names the workspace and returns to a safe page inside it, and to nobody else's", async () => {
    const { ws, member } = await heldMember();
    expect(await enrollmentReturn(member.id, ws.slug, `/w/${ws.slug}/members?page=2`)).toEqual({ workspaceName: "Acme Agents", href: `/w/${ws.slug}/members?page=2` });
    expect(await enrollmentReturn(member.id, ws.slug, "https://evil.example/")).toEqual({ workspaceName: "Acme Agents", href: `/w/${ws.slug}` });
    const other = await seedWorkspace(owner, "not-mine");
    expect(await enrollmentReturn(member.id, other.slug, `/w/${other.slug}`)).toBeNull();
  });
});
