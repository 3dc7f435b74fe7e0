import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type pg from "pg";
import { context, ownerClient, seedMember, seedWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { inviteMember } from "../../lib/members/invite-member";
import { removeMember } from "../../lib/members/remove-member";
import { getPendingInvitations } from "../../lib/members/get-members-page";
import { PendingInvitations } from "../../components/members/pending-invitations";
import type { Role } from "../../lib/generated/prisma/enums";

// The members page tells an inviting member, in words, which pending links are
// refused because their sender can no longer grant the role.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const as = (workspaceId: string, actorId: string, actorRole: Role) => ({
  workspaceId,
  actorId,
  actorRole,
  actor: { type: "user" as const, id: actorId, label: "actor" },
  context: context(),
});

/** Each invitation row's markup and its text as a screen reader reads it. */
function rows(html: string) {
  return html
    .split('data-testid="invitation-row"')
    .slice(1)
    .map((markup) => ({
      markup,
      text: markup
        .replace(/<dialog[\s\S]*?<\/dialog>/g, "")
        .replace(/<[^>]+>/g, "")
        .replace(/&#x27;/g, "'")
        .replace(/\s+/g, " "),
    }));
}

describe("pending invitations on the members page", () => {
  it("an invitation whose inviter was removed is marked suspended, with the reason in words; the owner's own is not", async () => {
    const ws = await seedWorkspace(owner, "pending-view");
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    const stamp = Date.now();
    await withWorkspace(ws.workspaceId, (tx) => inviteMember(tx, { ...as(ws.workspaceId, admin.id, "admin"), email: `accomplice-${stamp}@example.test`, role: "admin" }));
    await withWorkspace(ws.workspaceId, (tx) => inviteMember(tx, { ...as(ws.workspaceId, ws.ownerId, "owner"), email: `newcomer-${stamp}@example.test`, role: "viewer" }));
    await withWorkspace(ws.workspaceId, (tx) => removeMember(tx, { ...as(ws.workspaceId, ws.ownerId, "owner"), userId: admin.id }));

    const invitations = await getPendingInvitations(ws.workspaceId);
    const listed = rows(renderToStaticMarkup(createElement(PendingInvitations, { workspace: ws.slug, invitations })));
    const accomplice = listed.find((r) => r.text.includes(`accomplice-${stamp}`));
    const newcomer = listed.find((r) => r.text.includes(`newcomer-${stamp}`));

    expect(accomplice?.text).toContain("Suspended: the person who sent it can no longer grant this role");
    expect(accomplice?.markup).toContain('data-testid="invitation-suspended"');
    // The reason is text in the row, not a tooltip.
    expect(accomplice?.markup).not.toMatch(/title="/);
    expect(newcomer?.text).not.toContain("Suspended");
    // Suspended or not, it can still be revoked.
    for (const row of [accomplice, newcomer]) expect(row?.markup).toMatch(/<button[^>]*>Revoke<\/button>/);
  });
});
