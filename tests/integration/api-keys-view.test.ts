import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type pg from "pg";
import { context, ownerClient, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { createApiKey } from "../../lib/api-keys/create-api-key";
import { revokeApiKey } from "../../lib/api-keys/revoke-api-key";
import { getApiKeysPage } from "../../lib/api-keys/get-api-keys-page";
import { ApiKeyList } from "../../components/api-keys/api-key-list";
import type { Role } from "../../lib/generated/prisma/enums";

// The API keys page offers Revoke exactly where the server would allow it
// (lib/api-keys/revoke-rules.ts), for the person looking at it.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const actor = (id: string) => ({ type: "user" as const, id, label: "actor" });
const create = (ws: SeededWorkspace, name: string, actorId: string, actorRole: Role) =>
  withWorkspace(ws.workspaceId, (tx) => createApiKey(tx, { workspaceId: ws.workspaceId, name, scopes: ["audit:read"], expiresAt: null, actorRole, actor: actor(actorId), context: context() }));

/** Per key name: "revoke" (a Revoke button), "refused" (the short reason) or "none". */
async function controls(ws: SeededWorkspace, viewer: { id: string; role: Role }) {
  const keys = await getApiKeysPage(ws.workspaceId, viewer);
  const html = renderToStaticMarkup(createElement(ApiKeyList, { workspace: ws.slug, keys }));
  const rows = html.split('data-testid="api-key-row"').slice(1);
  return Object.fromEntries(
    keys.map((k, i) => {
      const row = rows[i];
      expect(row).toContain(k.name);
      const offered = /<button[^>]*>Revoke<\/button>/.test(row);
      const refused = row.includes("Not yours to revoke");
      expect(offered && refused).toBe(false);
      return [k.name, offered ? "revoke" : refused ? "refused" : "none"];
    }),
  );
}

describe("Revoke on the API keys page", () => {
  it("is offered only for keys the viewer may revoke: an admin not on an owner's key, a developer only on their own", async () => {
    const ws = await seedWorkspace(owner, "keys-view");
    const admin = await seedMember(owner, ws.workspaceId, "admin");
    const formerAdmin = await seedMember(owner, ws.workspaceId, "admin");
    await create(ws, "owner key", ws.ownerId, "owner");
    await create(ws, "admin key", admin.id, "admin");
    await create(ws, "developer key", formerAdmin.id, "admin");
    const gone = await create(ws, "revoked", ws.ownerId, "owner");
    await withWorkspace(ws.workspaceId, (tx) => revokeApiKey(tx, { workspaceId: ws.workspaceId, apiKeyId: gone.id, actorRole: "owner", actor: actor(ws.ownerId), context: context() }));
    // Demoted after creating a key: they may still give up their own.
    await owner.query(`UPDATE memberships SET role = 'developer' WHERE workspace_id = $1 AND user_id = $2`, [ws.workspaceId, formerAdmin.id]);

    expect(await controls(ws, { id: ws.ownerId, role: "owner" })).toEqual({ "owner key": "revoke", "admin key": "revoke", "developer key": "revoke", revoked: "none" });
    expect(await controls(ws, { id: admin.id, role: "admin" })).toEqual({ "owner key": "refused", "admin key": "revoke", "developer key": "revoke", revoked: "none" });
    expect(await controls(ws, { id: formerAdmin.id, role: "developer" })).toEqual({ "owner key": "refused", "admin key": "refused", "developer key": "revoke", revoked: "none" });
  });
});
