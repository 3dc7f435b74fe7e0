import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import type pg from "pg";
import { connect } from "../support/owner-db";
import { decrypt, DecryptionError, encrypt, keyringFrom } from "../../lib/crypto/envelope";
import { keyProviderFrom, type KeyProvider } from "../../lib/crypto/key-provider";
import { rewrapDataKeys } from "../../lib/crypto/rewrap-data-keys";
import { checkWrappingKeys, MissingWrappingKeyError } from "../../lib/crypto/check-wrapping-keys";
import { readKeyHistory } from "../../lib/crypto/key-history";
import { dataKeyContext } from "../../lib/secrets/data-key-context";
import { readSeeded, seedSecrets } from "../support/seed-secrets";
import { runMigrations } from "../../lib/db/migrate";
import { ensureDatabase } from "../../lib/db/ensure-database";
import { appRoleNameFor } from "../../lib/db/app-role";

// A retired master key must be retirable: after keys:rotate nothing needs it.

const OLD = Buffer.alloc(32, 11).toString("base64");
const NEW = Buffer.alloc(32, 12).toString("base64");
const UNKNOWN = Buffer.alloc(32, 13).toString("base64");
const name = `warden_rotate_${randomBytes(4).toString("hex")}`;
let url: string;
let owner: pg.Client;

beforeAll(async () => {
  url = await ensureDatabase(inject("serverUrl"), name);
  await runMigrations(url);
  owner = await connect(url);
});

afterAll(async () => {
  await owner.end();
  const root = await connect(inject("serverUrl"));
  await root.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await root.query(`DROP ROLE IF EXISTS "${appRoleNameFor(name)}"`);
  await root.end();
});

async function userWith(secret: (id: string) => string | null, pending: (id: string) => string | null) {
  const { rows } = await owner.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'Rotated', 'x') RETURNING id`, [
    `rotate-${randomBytes(4).toString("hex")}@example.test`,
  ]);
  const id = rows[0].id;
  await owner.query(`UPDATE users SET mfa_secret_enc = $2, mfa_pending_secret_enc = $3 WHERE id = $1`, [id, secret(id), pending(id)]);
  return id;
}

const rotate = (env: Record<string, string>) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/keys-rotate.ts"], {
    env: { ...process.env, DATABASE_URL: url, WARDEN_DATA_DIR: mkdtempSync(join(tmpdir(), "warden-rotate-")), ...env },
    encoding: "utf8",
    timeout: 60_000,
  });

describe("npm run keys:rotate", () => {
  it("re-encrypts MFA seeds sealed under an old key so that the new key alone opens them, and says the old key can go", async () => {
    const old = keyringFrom(OLD);
    const sealedOld = await userWith(
      (id) => encrypt("JBSWY3DPEHPK3PXP", id, old),
      (id) => encrypt("PENDINGSEED", id, old),
    );
    const sealedNew = await userWith(
      (id) => encrypt("ALREADYNEW", id, keyringFrom(NEW)),
      () => null,
    );

    const run = rotate({ WARDEN_MASTER_KEY: NEW, WARDEN_PREVIOUS_MASTER_KEYS: OLD });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/users\.mfa_secret_enc: 1 re-encrypted, 1 already current/);
    expect(run.stdout).toMatch(/users\.mfa_pending_secret_enc: 1 re-encrypted, 0 already current/);
    expect(run.stdout).toMatch(/No data key or value uses an older key any more/);

    const onlyNew = keyringFrom(NEW);
    const { rows } = await owner.query(`SELECT id, mfa_secret_enc, mfa_pending_secret_enc FROM users WHERE id = ANY($1::uuid[])`, [[sealedOld, sealedNew]]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(decrypt(byId.get(sealedOld).mfa_secret_enc, sealedOld, onlyNew)).toBe("JBSWY3DPEHPK3PXP");
    expect(decrypt(byId.get(sealedOld).mfa_pending_secret_enc, sealedOld, onlyNew)).toBe("PENDINGSEED");
    expect(decrypt(byId.get(sealedNew).mfa_secret_enc, sealedNew, onlyNew)).toBe("ALREADYNEW");
    // Still bound to its row.
    expect(() => decrypt(byId.get(sealedOld).mfa_secret_enc, sealedNew, onlyNew)).toThrow(DecryptionError);
  });

  it("reports values no configured key opens, leaves them untouched, and exits 1", async () => {
    const id = await userWith(
      (uid) => encrypt("LOSTSEED", uid, keyringFrom(UNKNOWN)),
      () => null,
    );
    const before = (await owner.query(`SELECT mfa_secret_enc FROM users WHERE id = $1`, [id])).rows[0].mfa_secret_enc;
    const run = rotate({ WARDEN_MASTER_KEY: NEW, WARDEN_PREVIOUS_MASTER_KEYS: OLD });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/1 sealed under a key not configured/);
    expect(run.stderr).toMatch(/1 value\(s\) still use an older key/);
    expect((await owner.query(`SELECT mfa_secret_enc FROM users WHERE id = $1`, [id])).rows[0].mfa_secret_enc).toBe(before);
    await owner.query(`UPDATE users SET mfa_secret_enc = NULL WHERE id = $1`, [id]);
  });

  it("refuses a malformed WARDEN_PREVIOUS_MASTER_KEYS, naming it", () => {
    const run = rotate({ WARDEN_MASTER_KEY: NEW, WARDEN_PREVIOUS_MASTER_KEYS: "typo" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/WARDEN_PREVIOUS_MASTER_KEYS: entry 1 of 1 is not 32 bytes/);
  });
});

// Secrets (and their versions) first: a workspace's cascade would reach its data keys while versions still name them.
const dropSeeded = async (workspaceId: string) => {
  await owner.query(`DELETE FROM secrets WHERE workspace_id = $1`, [workspaceId]);
  await owner.query(`DELETE FROM workspaces WHERE id = $1`, [workspaceId]);
};

const versionsOf = async (client: pg.Client, workspaceIds: string[]) =>
  (await client.query(`SELECT v::text AS row FROM secret_versions v WHERE workspace_id = ANY($1::uuid[]) ORDER BY id`, [workspaceIds])).rows.map((r) => r.row);

describe("npm run keys:rotate and the workspace data keys", () => {
  const oldProvider = () => keyProviderFrom(OLD);
  const newOnly = () => keyProviderFrom(NEW);

  it("re-wraps every data key under the new key without touching a secret version, so the new key alone opens every value and the old key can go", async () => {
    const one = await seedSecrets(owner, oldProvider(), { OPENAI_API_KEY: "sk-one-value", DB_PASSWORD: "db-one-value" });
    const two = await seedSecrets(owner, oldProvider(), { OPENAI_API_KEY: "sk-two-value" });
    const already = await seedSecrets(owner, newOnly(), { STRIPE_KEY: "already-new" });
    const versionsBefore = await versionsOf(owner, [one.workspaceId, two.workspaceId, already.workspaceId]);
    const wrappedBefore = (await owner.query(`SELECT wrapped_key FROM workspace_data_keys WHERE id = $1`, [already.dataKeyId])).rows[0].wrapped_key;

    // The server started with the new key refuses while the old one is not configured...
    await expect(checkWrappingKeys({ ownerUrl: url, provider: newOnly() })).rejects.toThrow(new RegExp(`master key ${oldProvider().fingerprint} \\(2 workspace data keys\\)`));
    // ...and starts with the old key listed as previous.
    await checkWrappingKeys({ ownerUrl: url, provider: keyProviderFrom(NEW, [OLD]) });

    const run = rotate({ WARDEN_MASTER_KEY: NEW, WARDEN_PREVIOUS_MASTER_KEYS: OLD });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/workspace_data_keys\.wrapped_key: 2 re-wrapped, 1 already current\n/);
    expect(run.stdout).toMatch(/No data key or value uses an older key any more/);

    const keys = await owner.query(`SELECT DISTINCT kek_fingerprint FROM workspace_data_keys`);
    expect(keys.rows).toEqual([{ kek_fingerprint: newOnly().fingerprint }]);
    // Values are sealed with the data keys, which did not change: not one version was rewritten.
    expect(await versionsOf(owner, [one.workspaceId, two.workspaceId, already.workspaceId])).toEqual(versionsBefore);
    expect((await owner.query(`SELECT wrapped_key FROM workspace_data_keys WHERE id = $1`, [already.dataKeyId])).rows[0].wrapped_key).toBe(wrappedBefore);
    expect(await readSeeded(owner, newOnly(), one)).toEqual({ OPENAI_API_KEY: "sk-one-value", DB_PASSWORD: "db-one-value" });
    expect(await readSeeded(owner, newOnly(), two)).toEqual({ OPENAI_API_KEY: "sk-two-value" });
    expect(await readSeeded(owner, newOnly(), already)).toEqual({ STRIPE_KEY: "already-new" });
    // The re-wrapped key is still bound to its row and workspace.
    const wrappedOne = (await owner.query(`SELECT wrapped_key FROM workspace_data_keys WHERE id = $1`, [one.dataKeyId])).rows[0].wrapped_key;
    await expect(newOnly().unwrap(wrappedOne, dataKeyContext(two.workspaceId, one.dataKeyId))).rejects.toBeInstanceOf(DecryptionError);

    // The old key is removable: start-up and another rotation need only the new one.
    await checkWrappingKeys({ ownerUrl: url, provider: newOnly() });
    const again = rotate({ WARDEN_MASTER_KEY: NEW });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/workspace_data_keys\.wrapped_key: 0 re-wrapped, 3 already current/);

    const history = new Map((await readKeyHistory(owner)).map((h) => [h.fingerprint, h]));
    expect(history.get(newOnly().fingerprint)).toMatchObject({ provider: "environment", retiredAt: null });
    expect(history.get(newOnly().fingerprint)?.currentSince).toBeInstanceOf(Date);
    expect(history.get(oldProvider().fingerprint)?.retiredAt).toBeInstanceOf(Date);
    // No key material in it: fingerprints only.
    expect(JSON.stringify([...history.values()])).not.toContain(NEW);
  });

  it("reports a data key wrapped under a key that is not configured, re-wraps the others, and exits 1; start-up names the missing fingerprint", async () => {
    const unknown = keyProviderFrom(UNKNOWN);
    const lost = await seedSecrets(owner, unknown, { LOST_KEY: "lost-value" });
    const movable = await seedSecrets(owner, oldProvider(), { MOVABLE: "movable-value" });
    const lostBefore = (await owner.query(`SELECT wrapped_key FROM workspace_data_keys WHERE id = $1`, [lost.dataKeyId])).rows[0].wrapped_key;

    const run = rotate({ WARDEN_MASTER_KEY: NEW, WARDEN_PREVIOUS_MASTER_KEYS: OLD });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`workspace_data_keys\\.wrapped_key: 1 re-wrapped, \\d+ already current, 1 wrapped under ${unknown.fingerprint}, which is not configured`));
    expect(run.stderr).toMatch(/1 workspace data key\(s\) still use an older key/);
    expect((await owner.query(`SELECT wrapped_key FROM workspace_data_keys WHERE id = $1`, [lost.dataKeyId])).rows[0].wrapped_key).toBe(lostBefore);
    expect(await readSeeded(owner, newOnly(), movable)).toEqual({ MOVABLE: "movable-value" });
    const history = new Map((await readKeyHistory(owner)).map((h) => [h.fingerprint, h]));
    expect(history.get(unknown.fingerprint)).toMatchObject({ provider: "unknown", retiredAt: null });

    const refused = checkWrappingKeys({ ownerUrl: url, provider: keyProviderFrom(NEW, [OLD]) });
    await expect(refused).rejects.toBeInstanceOf(MissingWrappingKeyError);
    await expect(refused).rejects.toThrow(new RegExp(`master key ${unknown.fingerprint} \\(1 workspace data key\\), which is not configured .*WARDEN_PREVIOUS_MASTER_KEYS.*npm run keys:rotate`));

    // `npm start` itself stops before serving, with that message.
    const { APP_DATABASE_URL: _appUrl, ...inherited } = process.env;
    const start = spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env: {
        ...inherited,
        DATABASE_URL: url,
        APP_DATABASE_PASSWORD: randomBytes(24).toString("base64url"),
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        WARDEN_MASTER_KEY: NEW,
        WARDEN_PREVIOUS_MASTER_KEYS: OLD,
        LOG_LEVEL: "silent",
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(start.status, start.stdout).toBe(1);
    expect(start.stderr).toMatch(new RegExp(`\\[warden\\] cannot start: workspace data keys are wrapped under master key ${unknown.fingerprint}`));

    await dropSeeded(lost.workspaceId);
  });

  it("counts a data key whose wrapped value was altered as not re-wrapped, and leaves it as it is", async () => {
    const altered = await seedSecrets(owner, oldProvider(), { ALTERED: "altered-value" });
    // Wrapped for another row: it names the old key but does not open under this row's context.
    const foreign = await oldProvider().wrap(randomBytes(32), dataKeyContext(altered.workspaceId, randomUUID()));
    await owner.query(`UPDATE workspace_data_keys SET wrapped_key = $1 WHERE id = $2`, [foreign, altered.dataKeyId]);
    const run = rotate({ WARDEN_MASTER_KEY: NEW, WARDEN_PREVIOUS_MASTER_KEYS: OLD });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/workspace_data_keys\.wrapped_key: 0 re-wrapped, \d+ already current, 1 could not be unwrapped \(altered\)/);
    expect((await owner.query(`SELECT wrapped_key FROM workspace_data_keys WHERE id = $1`, [altered.dataKeyId])).rows[0].wrapped_key).toBe(foreign);
    await dropSeeded(altered.workspaceId);
  });
});

describe("two rotations at once", () => {
  it("re-wrap each data key exactly once between them (the conditional UPDATE decides), and every value still opens", async () => {
    const seeded = await Promise.all([1, 2, 3, 4, 5].map((i) => seedSecrets(owner, keyProviderFrom(OLD), { [`PARALLEL_${i}`]: `parallel-${i}` })));
    const other = await connect(url);
    try {
      const provider = keyProviderFrom(NEW, [OLD]);
      const [first, second] = await Promise.all([rewrapDataKeys({ client: owner, provider }), rewrapDataKeys({ client: other, provider })]);
      expect(first.rewrapped + second.rewrapped).toBe(5);
      expect(first.remaining + second.remaining).toBe(0);
    } finally {
      await other.end();
    }
    for (const [i, s] of seeded.entries()) expect(await readSeeded(owner, keyProviderFrom(NEW), s)).toEqual({ [`PARALLEL_${i + 1}`]: `parallel-${i + 1}` });
  });
});

describe("the KeyProvider interface", () => {
  it("lets a KMS-style provider take over every data key with the same re-wrap, no value re-encrypted", async () => {
    const env = keyProviderFrom(NEW);
    const seeded = await seedSecrets(owner, env, { MOVED_TO_KMS: "kms-value" });
    const versionsBefore = await versionsOf(owner, [seeded.workspaceId]);
    // Stands in for a KMS: its own wrapped format naming the key ARN; the environment key unwraps what came before.
    const kmsKey = keyringFrom(Buffer.alloc(32, 51).toString("base64"));
    const arn = "arn:aws:kms:eu-west-1:111122223333:key/warden-test";
    const kms: KeyProvider = {
      name: "aws-kms",
      fingerprint: arn,
      fingerprints: [arn, ...env.fingerprints],
      wrap: async (dataKey, context) => `kms.${arn}.${Buffer.from(encrypt(dataKey.toString("base64"), context, kmsKey)).toString("base64url")}`,
      unwrap: async (wrapped, context) => {
        if (!wrapped.startsWith(`kms.${arn}.`)) return env.unwrap(wrapped, context);
        return Buffer.from(decrypt(Buffer.from(wrapped.split(".")[2], "base64url").toString(), context, kmsKey), "base64");
      },
    };
    const report = await rewrapDataKeys({ client: owner, provider: kms });
    expect(report).toMatchObject({ current: 0, unknown: {}, tampered: 0, remaining: 0 });
    expect(report.rewrapped).toBeGreaterThanOrEqual(1);
    expect((await owner.query(`SELECT DISTINCT kek_fingerprint FROM workspace_data_keys`)).rows).toEqual([{ kek_fingerprint: arn }]);
    expect(await versionsOf(owner, [seeded.workspaceId])).toEqual(versionsBefore);
    expect(await readSeeded(owner, kms, seeded)).toEqual({ MOVED_TO_KMS: "kms-value" });
    await checkWrappingKeys({ ownerUrl: url, provider: kms });
    const history = new Map((await readKeyHistory(owner)).map((h) => [h.fingerprint, h]));
    expect(history.get(arn)).toMatchObject({ provider: "aws-kms", retiredAt: null });
  });

  it("is refused, not believed, by a role that would see only part of the data keys", async () => {
    const role = `warden_peek_${randomBytes(4).toString("hex")}`;
    const secret = randomBytes(18).toString("base64url");
    await owner.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${secret}'`);
    await owner.query(`GRANT USAGE ON SCHEMA public TO "${role}"; GRANT SELECT, UPDATE ON public.workspace_data_keys TO "${role}"`);
    const peek = new URL(url);
    peek.username = role;
    peek.password = secret;
    try {
      await expect(checkWrappingKeys({ ownerUrl: peek.toString(), provider: keyProviderFrom(NEW) })).rejects.toThrow(new RegExp(`the role ${role} cannot see every workspace's data keys`));
    } finally {
      await owner.query(`REVOKE ALL ON public.workspace_data_keys FROM "${role}"; REVOKE USAGE ON SCHEMA public FROM "${role}"; DROP ROLE "${role}"`);
    }
  });
});
