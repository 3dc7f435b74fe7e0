import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { context, ownerClient, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { signInAs } from "../support/request-stub";
import { withWorkspace } from "../../lib/db/with-workspace";
import { createSecret } from "../../lib/secrets/create-secret";
import { deleteSecret } from "../../lib/secrets/delete-secret";
import { restoreSecret } from "../../lib/secrets/restore-secret";
import { createEnvironment } from "../../lib/secrets/create-environment";
import { renameEnvironment } from "../../lib/secrets/rename-environment";
import { purgeDeletedSecrets } from "../../lib/secrets/purge-deleted-secrets";
import { getSecretsPage } from "../../lib/secrets/get-secrets-page";
import { parseSecretListQuery } from "../../lib/secrets/secret-list-query";
import { isAppError } from "../../lib/errors";
import { idle } from "../../lib/actions/action-state";

// Deleting is soft and restorable for 30 days, restoring never takes a name a
// live secret holds, the purge removes only what is older, and environments are
// added and renamed: each change audited by name, environment and version.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const { createSecret: createSecretAction } = await import("../../lib/actions/secrets/create-secret");
const { renameEnvironment: renameEnvironmentAction } = await import("../../lib/actions/environments/rename-environment");

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const actor = (ws: SeededWorkspace) => ({ type: "user" as const, id: ws.ownerId, label: ws.ownerEmail });
const envId = async (ws: SeededWorkspace, name = "production") =>
  (await owner.query<{ id: string }>(`SELECT id FROM environments WHERE workspace_id = $1 AND name = $2`, [ws.workspaceId, name])).rows[0].id;

async function create(ws: SeededWorkspace, name: string, value = `value-of-${name}`, env = "production") {
  const input = { environmentId: await envId(ws, env), name, value, description: "", rotationIntervalDays: undefined, expiresOn: undefined };
  return withWorkspace(ws.workspaceId, (tx) => createSecret(tx, { workspaceId: ws.workspaceId, input, actor: actor(ws), context: context() }));
}
const remove = (ws: SeededWorkspace, secretId: string) => withWorkspace(ws.workspaceId, (tx) => deleteSecret(tx, { workspaceId: ws.workspaceId, secretId, actor: actor(ws), context: context() }));
const restore = (ws: SeededWorkspace, secretId: string) => withWorkspace(ws.workspaceId, (tx) => restoreSecret(tx, { workspaceId: ws.workspaceId, secretId, actor: actor(ws), context: context() }));
const events = async (ws: SeededWorkspace, action: string) =>
  (await owner.query(`SELECT target_id::text, actor_type, actor_label, metadata FROM audit_events WHERE workspace_id = $1 AND action = $2 ORDER BY seq`, [ws.workspaceId, action])).rows;
const live = async (ws: SeededWorkspace, name: string) => (await owner.query(`SELECT id::text FROM secrets WHERE workspace_id = $1 AND name = $2 AND deleted_at IS NULL`, [ws.workspaceId, name])).rows;
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isAppError(error)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
};

describe("delete and restore", () => {
  it("a deleted secret leaves the list and comes back with its versions, both audited by name, environment and version", async () => {
    const ws = await seedWorkspace(owner, "delete");
    const { secretId } = await create(ws, "SOFT_DELETED", "soft-value-marker");
    await remove(ws, secretId);
    const row = (await owner.query(`SELECT deleted_at, deleted_by_id::text, revision FROM secrets WHERE id = $1`, [secretId])).rows[0];
    expect(row.deleted_at).not.toBeNull();
    expect(row.deleted_by_id).toBe(ws.ownerId);
    expect(row.revision).toBe(2);
    expect((await getSecretsPage(ws.workspaceId, parseSecretListQuery({}))).total).toBe(0);
    await expect(refusal(remove(ws, secretId))).resolves.toMatchObject({ code: "not_found" });

    await restore(ws, secretId);
    expect(await live(ws, "SOFT_DELETED")).toHaveLength(1);
    expect((await owner.query(`SELECT count(*)::int AS n FROM secret_versions WHERE secret_id = $1`, [secretId])).rows[0].n).toBe(1);
    for (const action of ["secret.deleted", "secret.restored"]) {
      const [event] = await events(ws, action);
      expect(event).toMatchObject({ target_id: secretId, metadata: { name: "SOFT_DELETED", environment: "production", version: 1 } });
    }
    const all = await owner.query(`SELECT string_agg(metadata::text, '') AS m FROM audit_events WHERE workspace_id = $1`, [ws.workspaceId]);
    expect(all.rows[0].m).not.toContain("soft-value-marker");
  });

  it("restore is refused, changing nothing, when a live secret has taken the name in that environment", async () => {
    const ws = await seedWorkspace(owner, "restore-taken");
    const old = await create(ws, "TAKEN_NAME");
    await remove(ws, old.secretId);
    const fresh = await create(ws, "TAKEN_NAME");
    const error = await refusal(restore(ws, old.secretId));
    expect(error.code).toBe("conflict");
    expect(error.message).toBe("Another secret named TAKEN_NAME now exists in production. Rename or delete that one first, then restore this one.");
    expect((await live(ws, "TAKEN_NAME")).map((r) => r.id)).toEqual([fresh.secretId]);
    expect(await events(ws, "secret.restored")).toHaveLength(0);
    // The same name in another environment is no obstacle.
    const staging = await create(ws, "ELSEWHERE", "x", "staging");
    await remove(ws, staging.secretId);
    await create(ws, "ELSEWHERE", "y", "production");
    await restore(ws, staging.secretId);
    expect(await live(ws, "ELSEWHERE")).toHaveLength(2);
  });

  it("a restore racing a create for the same name: exactly one wins, every time", async () => {
    const ws = await seedWorkspace(owner, "restore-race");
    for (let round = 0; round < 6; round++) {
      const name = `RACE_${round}`;
      const deleted = await create(ws, name);
      await remove(ws, deleted.secretId);
      const results = await Promise.allSettled(round % 2 ? [restore(ws, deleted.secretId), create(ws, name)] : [create(ws, name), restore(ws, deleted.secretId)]);
      expect(
        results.filter((r) => r.status === "fulfilled"),
        name,
      ).toHaveLength(1);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
      expect(isAppError(refused.reason) && refused.reason.code).toBe("conflict");
      expect(await live(ws, name)).toHaveLength(1);
    }
  });

  it("two restores of one secret: one restores it, the other is told it is no longer deleted", async () => {
    const ws = await seedWorkspace(owner, "restore-twice");
    const { secretId } = await create(ws, "TWICE");
    await remove(ws, secretId);
    const results = await Promise.allSettled([restore(ws, secretId), restore(ws, secretId)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await events(ws, "secret.restored")).toHaveLength(1);
  });

  it("a secret deleted more than 30 days ago cannot be restored", async () => {
    const ws = await seedWorkspace(owner, "restore-late");
    const { secretId } = await create(ws, "TOO_LATE");
    await remove(ws, secretId);
    await owner.query(`UPDATE secrets SET deleted_at = now() - interval '31 days' WHERE id = $1`, [secretId]);
    await expect(refusal(restore(ws, secretId))).resolves.toMatchObject({ code: "conflict", message: expect.stringMatching(/more than 30 days ago/) });
  });
});

describe("the purge", () => {
  it("removes secrets deleted more than 30 days ago with their versions, audits each as retention, and leaves everything else", async () => {
    const ws = await seedWorkspace(owner, "purge");
    const other = await seedWorkspace(owner, "purge-other");
    const old = await create(ws, "OLD_ONE");
    const recent = await create(ws, "RECENT_ONE");
    const kept = await create(ws, "LIVE_ONE");
    const otherRecent = await create(other, "OLD_ONE");
    for (const [w, id] of [
      [ws, old.secretId],
      [ws, recent.secretId],
      [other, otherRecent.secretId],
    ] as const)
      await remove(w, id);
    await owner.query(`UPDATE secrets SET deleted_at = now() - interval '31 days' WHERE id = $1`, [old.secretId]);
    await owner.query(`UPDATE secrets SET deleted_at = now() - interval '29 days' WHERE id IN ($1, $2)`, [recent.secretId, otherRecent.secretId]);

    // The app itself cannot remove a secret deleted less than 30 days ago, whatever it asks (RLS secrets_purge_only).
    const removed = await withWorkspace(
      ws.workspaceId,
      (tx) => tx.$executeRaw`DELETE FROM secrets WHERE workspace_id = ${ws.workspaceId}::uuid AND id IN (${recent.secretId}::uuid, ${kept.secretId}::uuid)`,
    );
    expect(removed).toBe(0);

    const result = await purgeDeletedSecrets();
    expect(result.purged).toBeGreaterThanOrEqual(1);
    const left = await owner.query(`SELECT id::text FROM secrets WHERE workspace_id IN ($1, $2) ORDER BY name`, [ws.workspaceId, other.workspaceId]);
    expect(left.rows.map((r) => r.id).sort()).toEqual([recent.secretId, kept.secretId, otherRecent.secretId].sort());
    expect((await owner.query(`SELECT count(*)::int AS n FROM secret_versions WHERE secret_id = $1`, [old.secretId])).rows[0].n).toBe(0);
    const purged = await events(ws, "secret.purged");
    expect(purged).toEqual([{ target_id: old.secretId, actor_type: "system", actor_label: "retention", metadata: { name: "OLD_ONE", environment: "production", version: 1 } }]);
    expect(await events(other, "secret.purged")).toHaveLength(0);

    // Nothing left to purge: a second pass changes nothing.
    await purgeDeletedSecrets();
    expect(await events(ws, "secret.purged")).toHaveLength(1);
  });
});

describe("environments", () => {
  it("are added and renamed, audited with before and after; a name already taken is a clear conflict", async () => {
    const ws = await seedWorkspace(owner, "envs");
    const add = (name: string) => withWorkspace(ws.workspaceId, (tx) => createEnvironment(tx, { workspaceId: ws.workspaceId, name, actor: actor(ws), context: context() }));
    const rename = (environmentId: string, name: string) =>
      withWorkspace(ws.workspaceId, (tx) => renameEnvironment(tx, { workspaceId: ws.workspaceId, environmentId, name, actor: actor(ws), context: context() }));

    const { environmentId } = await add("qa");
    await expect(refusal(add("qa"))).resolves.toMatchObject({ code: "conflict", fieldErrors: { name: ["This workspace already has an environment named qa."] } });
    await expect(refusal(rename(environmentId, "production"))).resolves.toMatchObject({ code: "conflict", message: "This workspace already has an environment named production." });
    const secret = await create(ws, "QA_KEY", "v", "qa");
    await rename(environmentId, "qa-eu");
    expect((await owner.query(`SELECT e.name FROM secrets s JOIN environments e ON e.id = s.environment_id WHERE s.id = $1`, [secret.secretId])).rows[0].name).toBe("qa-eu");
    expect((await events(ws, "environment.created"))[0].metadata).toEqual({ name: "qa" });
    expect((await events(ws, "environment.renamed")).map((e) => e.metadata)).toEqual([{ before: { name: "qa" }, after: { name: "qa-eu" } }]);

    // Two adds of one new name at once: one environment, one conflict.
    const results = await Promise.allSettled([add("load-test"), add("load-test")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    // Another workspace's environment cannot be renamed from here: it does not exist for this one.
    const stranger = await seedWorkspace(owner, "envs-other");
    await expect(refusal(rename(await envId(stranger), "mine"))).resolves.toMatchObject({ code: "not_found" });
  });

  it("a name that breaks the rule is refused with the rule, by the action", async () => {
    const ws = await seedWorkspace(owner, "envs-action");
    await signInAs(owner, ws.ownerId);
    const state = await renameEnvironmentAction(idle, form({ workspace: ws.slug, environmentId: await envId(ws), name: "Prod EU" }));
    expect(state).toMatchObject({ status: "error", code: "invalid_input" });
    expect(state.status === "error" && state.fieldErrors?.name?.[0]).toMatch(/lowercase letters, digits and hyphens/);
  });
});

describe("a developer", () => {
  it("creates secrets and sees their metadata; a refused form comes back with every field but the value, which no answer carries", async () => {
    const ws = await seedWorkspace(owner, "developer");
    const developer = await seedMember(owner, ws.workspaceId, "developer");
    await signInAs(owner, developer.id);
    const marker = `dev-marker-${crypto.randomUUID()}`;
    const fields = { workspace: ws.slug, environmentId: await envId(ws), name: "DEV_KEY", value: marker, description: "for the agent", rotationIntervalDays: "30", expiresOn: "2099-01-31" };
    const created = await createSecretAction(idle, form(fields));
    expect(created).toMatchObject({ status: "ok", data: { name: "DEV_KEY" } });
    expect(JSON.stringify(created)).not.toContain(marker);

    const duplicate = await createSecretAction(idle, form(fields));
    expect(duplicate).toMatchObject({ status: "error", code: "conflict", error: "A secret named DEV_KEY already exists in production." });
    expect(duplicate.status === "error" && duplicate.values).toEqual({
      workspace: ws.slug,
      environmentId: fields.environmentId,
      name: "DEV_KEY",
      description: "for the agent",
      rotationIntervalDays: "30",
      expiresOn: "2099-01-31",
    });
    expect(JSON.stringify(duplicate)).not.toContain(marker);

    const invalid = await createSecretAction(idle, form({ ...fields, name: "lower-case", rotationIntervalDays: "0" }));
    expect(invalid.status === "error" && Object.keys(invalid.fieldErrors ?? {}).sort()).toEqual(["name", "rotationIntervalDays"]);
    expect(JSON.stringify(invalid)).not.toContain(marker);

    const listed = await getSecretsPage(ws.workspaceId, parseSecretListQuery({}));
    expect(listed.rows.map((r) => r.name)).toEqual(["DEV_KEY"]);
    expect(listed.rows[0]).toMatchObject({ description: "for the agent", version: 1, updatedBy: "developer member" });
    expect(JSON.stringify(listed)).not.toContain(marker);
    const audit = await owner.query(`SELECT string_agg(metadata::text, '') AS m FROM audit_events WHERE workspace_id = $1`, [ws.workspaceId]);
    expect(audit.rows[0].m).not.toContain(marker);
  });
});

describe("a long value", () => {
  it("a 40 KiB PEM-like value goes through the create form and reads back exactly; one over 64 KiB is refused as too long", async () => {
    const ws = await seedWorkspace(owner, "long-value");
    await signInAs(owner, ws.ownerId);
    const pem = `-----BEGIN CERTIFICATE-----\n${"QUJD".repeat(10_000)}\n-----END CERTIFICATE-----\n`;
    const fields = { workspace: ws.slug, environmentId: await envId(ws), name: "TLS_BUNDLE", value: pem, description: "" };
    const created = await createSecretAction(idle, form(fields));
    expect(created).toMatchObject({ status: "ok" });
    const { readSecretVersion } = await import("../../lib/secrets/secret-versions");
    const secretId = (await live(ws, "TLS_BUNDLE"))[0].id;
    expect(await withWorkspace(ws.workspaceId, (tx) => readSecretVersion(tx, { workspaceId: ws.workspaceId, secretId, version: 1 }))).toBe(pem);

    const tooLong = await createSecretAction(idle, form({ ...fields, name: "TOO_LONG", value: "x".repeat(65_537) }));
    expect(tooLong).toMatchObject({ status: "error", code: "invalid_input", fieldErrors: { value: ["Too long"] } });
  });
});
