import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type pg from "pg";
import { context, ownerClient, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { createApiKey } from "../../lib/api-keys/create-api-key";
import { revokeApiKey } from "../../lib/api-keys/revoke-api-key";
import { API_KEYS_PAGE_SIZE, getApiKeysPage } from "../../lib/api-keys/get-api-keys-page";
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
  const { keys, total, page } = await getApiKeysPage(ws.workspaceId, viewer);
  const html = renderToStaticMarkup(createElement(ApiKeyList, { workspace: ws.slug, keys, paging: { total, page, size: API_KEYS_PAGE_SIZE } }));
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

describe("the API keys page", () => {
  it("shows one page of keys at a time, newest first, and a page past the last shows the last", async () => {
    const ws = await seedWorkspace(owner, "keys-pages");
    await owner.query(
      `INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_at)
       SELECT $1::uuid, 'key ' || g, 'wdn_live_p' || g || '_' || substr(md5($1::text), 1, 6), md5($1::text || g), '{audit:read}', now() - g * interval '1 minute' FROM generate_series(1, 120) g`,
      [ws.workspaceId],
    );
    const viewer = { id: ws.ownerId, role: "owner" as const };
    const first = await getApiKeysPage(ws.workspaceId, viewer);
    expect(first).toMatchObject({ total: 120, page: 1 });
    expect(first.keys.map((k) => k.name)).toEqual(Array.from({ length: 50 }, (_, i) => `key ${i + 1}`));
    const last = await getApiKeysPage(ws.workspaceId, viewer, 3);
    expect(last.keys.map((k) => k.name)).toEqual(Array.from({ length: 20 }, (_, i) => `key ${i + 101}`));
    expect(await getApiKeysPage(ws.workspaceId, viewer, 99)).toMatchObject({ page: 3, keys: last.keys });

    const html = renderToStaticMarkup(createElement(ApiKeyList, { workspace: ws.slug, keys: first.keys, paging: { total: 120, page: 1, size: API_KEYS_PAGE_SIZE } }));
    expect(html).toContain("Keys 1–50 of 120, newest first");
    expect(html).toContain(`href="/w/${ws.slug}/api-keys?page=2"`);
    expect(html).not.toContain("Newer keys");
  });
});
