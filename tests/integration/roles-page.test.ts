import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import type pg from "pg";
import { ownerClient, seedMember, seedWorkspace } from "../support/owner-db";
import { signInAs } from "../support/request-stub";
import RolesPage from "../../app/w/[workspace]/members/roles/page";

// The Roles page states, in words, the rules between roles that the capability
// table cannot show, as lib/members/role-rules.ts and lib/api-keys/revoke-rules.ts
// enforce them.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, " ");

describe("the Roles page", () => {
  it("states the API key revoke rules and the unlock rules in words, beside the capability table", async () => {
    const ws = await seedWorkspace(owner, "roles");
    const viewer = await seedMember(owner, ws.workspaceId, "viewer");
    await signInAs(owner, viewer.id);
    const page = text(renderToStaticMarkup(await RolesPage({ params: Promise.resolve({ workspace: ws.slug }) })));

    expect(page).toContain("Capabilities by role");
    expect(page).toContain("Revoking another person's API key needs api_keys.revoke_any (owners and admins), a role that can grant every scope on the key, and a role not below its creator's.");
    expect(page).toContain("Members who manage API keys (owners, admins and developers) revoke their own keys.");
    expect(page).toContain("Nobody unlocks a person who holds a role above theirs in any workspace");
    expect(page).toContain("Admins cannot change, remove or unlock owners.");
    expect(page).toContain("Nobody grants a role above their own.");
    expect(page).toContain("The last owner cannot be demoted, removed or leave.");
  });

  it("names each capability in words and marks those of features not yet enabled", async () => {
    const ws = await seedWorkspace(owner, "roles");
    const viewer = await seedMember(owner, ws.workspaceId, "viewer");
    await signInAs(owner, viewer.id);
    const html = renderToStaticMarkup(await RolesPage({ params: Promise.resolve({ workspace: ws.slug }) }));
    const row = (capability: string) => text(html.match(new RegExp(`<tr data-testid="capability-${capability.replace(".", "\\.")}"[\\s\\S]*?</tr>`))?.[0] ?? "");
    expect(row("audit.read")).toContain("Read the audit log");
    expect(row("api_keys.revoke_any")).toContain("Revoke anyone's API keys");
    expect(row("audit.read")).not.toContain("Not yet enabled");
    expect(row("secrets.reveal")).not.toContain("Not yet enabled");
    for (const capability of ["usage.read", "budgets.write", "agents.manage", "workspace.update", "workspace.delete"]) expect(row(capability)).not.toContain("Not yet enabled");
    for (const [capability, feature] of [["content.edit", "Content"]]) {
      expect(row(capability)).toContain(`Not yet enabled: ${feature}`);
    }
  });
});
