import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { context, ownerClient, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { createSecret } from "../../lib/secrets/create-secret";
import { getSecretsPage } from "../../lib/secrets/get-secrets-page";
import { parseSecretListQuery } from "../../lib/secrets/secret-list-query";
import { getOverview } from "../../lib/workspaces/get-overview";

// The Secrets table: searched, filtered, sorted and paged in the database, from
// whatever a link says, without ever failing the page or carrying a value.

let owner: pg.Client;
let ws: SeededWorkspace;
const MARKER = `list-marker-${crypto.randomUUID()}`;

const envId = async (workspaceId: string, name: string) => (await owner.query<{ id: string }>(`SELECT id FROM environments WHERE workspace_id = $1 AND name = $2`, [workspaceId, name])).rows[0].id;

/** Metadata-only rows, written as the owner (the list never reads versions). */
async function bulk(workspaceId: string, environment: string, names: string[], extra = "") {
  const environmentId = await envId(workspaceId, environment);
  await owner.query(
    `INSERT INTO secrets (workspace_id, environment_id, name, description, updated_at)
     SELECT $1, $2, n, 'bulk ' || n, now() - (ord || ' minutes')::interval FROM unnest($3::text[]) WITH ORDINALITY AS t(n, ord) ${extra}`,
    [workspaceId, environmentId, names],
  );
}

const page = (raw: Record<string, string | string[] | undefined>, workspaceId = ws.workspaceId) => getSecretsPage(workspaceId, parseSecretListQuery(raw));

beforeAll(async () => {
  owner = await ownerClient();
  ws = await seedWorkspace(owner, "secrets-list");
  await bulk(
    ws.workspaceId,
    "production",
    Array.from({ length: 30 }, (_, i) => `KEY_${String(i).padStart(2, "0")}`),
  );
  await bulk(ws.workspaceId, "staging", ["KEY_00", "STAGING_ONLY"]);
  const production = await envId(ws.workspaceId, "production");
  await withWorkspace(ws.workspaceId, (tx) =>
    createSecret(tx, {
      workspaceId: ws.workspaceId,
      input: { environmentId: production, name: "STRIPE_KEY", value: MARKER, description: "Payments 100% live_key", rotationIntervalDays: 1, expiresOn: undefined },
      actor: { type: "user", id: ws.ownerId, label: ws.ownerEmail },
      context: context(),
    }),
  );
  // STRIPE_KEY's value last changed two days ago: its 1-day rotation is due. OLD_TOKEN expired yesterday.
  await owner.query(`UPDATE secrets SET value_changed_at = now() - interval '2 days' WHERE workspace_id = $1 AND name = 'STRIPE_KEY'`, [ws.workspaceId]);
  await owner.query(`INSERT INTO secrets (workspace_id, environment_id, name, expires_at, rotation_interval_days, last_resolved_at) VALUES ($1, $2, 'OLD_TOKEN', now() - interval '1 day', 1, now())`, [
    ws.workspaceId,
    production,
  ]);
  await owner.query(`INSERT INTO secrets (workspace_id, environment_id, name, deleted_at, deleted_by_id) VALUES ($1, $2, 'GONE_KEY', now(), $3)`, [ws.workspaceId, production, ws.ownerId]);
});
afterAll(() => owner.end());

describe("the secrets list", () => {
  it("pages live secrets by name with the total, the updater and the rotation status", async () => {
    const first = await page({});
    expect(first.total).toBe(34);
    expect(first.rows).toHaveLength(25);
    expect(first.page).toBe(1);
    expect(first.rows.map((r) => r.name).slice(0, 3)).toEqual(["KEY_00", "KEY_00", "KEY_01"]);
    expect(first.rows.slice(0, 2).map((r) => r.environment)).toEqual(["production", "staging"]);
    const second = await page({ page: "2" });
    expect(second.rows.map((r) => r.name)).toEqual([...Array.from({ length: 6 }, (_, i) => `KEY_${24 + i}`), "OLD_TOKEN", "STAGING_ONLY", "STRIPE_KEY"]);
    const stripe = second.rows.find((r) => r.name === "STRIPE_KEY")!;
    expect(stripe).toMatchObject({ version: 1, status: "rotation_due", updatedBy: expect.stringContaining("Owner"), lastResolvedAt: null });
    expect(second.rows.find((r) => r.name === "OLD_TOKEN")!.status).toBe("expired");
    expect(first.environments.map((e) => e.name)).toEqual(["production", "staging", "development"]);
  });

  it("searches name and description, wildcards taken literally, case-insensitively", async () => {
    expect((await page({ q: "stripe" })).rows.map((r) => r.name)).toEqual(["STRIPE_KEY"]);
    expect((await page({ q: "payments" })).rows.map((r) => r.name)).toEqual(["STRIPE_KEY"]);
    // "%" and "_" are characters to find, not patterns: only the description with "100%" matches.
    expect((await page({ q: "100%" })).rows.map((r) => r.name)).toEqual(["STRIPE_KEY"]);
    expect((await page({ q: "e_k" })).rows.map((r) => r.name)).toEqual(["STRIPE_KEY"]);
    expect((await page({ q: "key_1" })).total).toBe(10);
  });

  it("filters by environment and by status, and sorts every sortable column both ways", async () => {
    expect((await page({ env: "staging" })).rows.map((r) => r.name)).toEqual(["KEY_00", "STAGING_ONLY"]);
    expect((await page({ status: "expired" })).rows.map((r) => r.name)).toEqual(["OLD_TOKEN"]);
    expect((await page({ status: "rotation_due" })).rows.map((r) => r.name)).toEqual(["STRIPE_KEY"]);
    expect((await page({ status: "rotation_due", env: "staging" })).total).toBe(0);
    expect((await page({ sort: "name", dir: "desc" })).rows[0].name).toBe("STRIPE_KEY");
    expect((await page({ sort: "environment", dir: "desc" })).rows.map((r) => r.environment).slice(0, 2)).toEqual(["staging", "staging"]);
    expect((await page({ sort: "lastResolved", dir: "desc" })).rows[0].name).toBe("OLD_TOKEN");
    // Never resolved sorts last in both directions.
    expect((await page({ sort: "lastResolved", dir: "asc" })).rows[0].name).toBe("OLD_TOKEN");
    const updated = (await page({ sort: "updated", dir: "desc", size: "100" })).rows.map((r) => r.updatedAt);
    expect(updated).toEqual([...updated].sort().reverse());
  });

  it("a link with nonsense never fails: each bad parameter falls back to its default, a page past the end shows the last", async () => {
    const query = parseSecretListQuery({ page: "-3", size: "100000", sort: "name;DROP TABLE secrets", dir: "sideways", status: "weird", env: "NOT AN ENV", q: "\u0000x", view: "all" });
    expect(query).toEqual({ view: "live", q: undefined, env: undefined, status: undefined, sort: "name", dir: "asc", page: 1, size: 25 });
    expect(parseSecretListQuery({ page: ["2", "5"], q: "a".repeat(500) })).toMatchObject({ page: 2, q: undefined });
    const last = await page({ page: "999" });
    expect(last.page).toBe(2);
    expect(last.rows.at(-1)?.name).toBe("STRIPE_KEY");
    // An environment that does not exist (renamed since the link was made) is ignored.
    const unknown = await page({ env: "qa" });
    expect(unknown.environment).toBeNull();
    expect(unknown.total).toBe(34);
    expect((await page({ page: "5", q: "nothing-matches" })).page).toBe(1);
  });

  it("the Deleted view lists only deleted secrets, with who deleted them", async () => {
    const deleted = await page({ view: "deleted", status: "expired" });
    expect(deleted.rows.map((r) => r.name)).toEqual(["GONE_KEY"]);
    expect(deleted.rows[0].deletedBy).toMatch(/Owner/);
    expect((await page({})).rows.some((r) => r.name === "GONE_KEY")).toBe(false);
  });

  it("counts what needs attention for the banner and the overview; the overview leaves it out for roles without secrets", async () => {
    expect((await page({})).attention).toEqual({ expired: 1, rotationDue: 1 });
    const overview = await getOverview({ workspaceId: ws.workspaceId, policy: "none", includeEvents: false, includeSecrets: true });
    expect(overview.secrets).toEqual({ expired: 1, rotationDue: 1 });
    expect((await getOverview({ workspaceId: ws.workspaceId, policy: "none", includeEvents: false, includeSecrets: false })).secrets).toBeNull();
  });

  it("carries no value: the marker is nowhere in what the page is given", async () => {
    const all = await page({ size: "100" });
    expect(JSON.stringify(all)).not.toContain(MARKER);
    expect(JSON.stringify(all)).toContain("STRIPE_KEY");
  });

  it("another workspace's secrets never appear", async () => {
    const other = await seedWorkspace(owner, "secrets-list-other");
    await bulk(other.workspaceId, "production", ["OTHER_TENANT_KEY"]);
    expect((await page({ q: "OTHER_TENANT" })).total).toBe(0);
    expect((await page({}, other.workspaceId)).rows.map((r) => r.name)).toEqual(["OTHER_TENANT_KEY"]);
  });
});
