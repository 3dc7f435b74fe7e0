import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import type pg from "pg";
import { connect } from "../support/owner-db";
import { decrypt, DecryptionError, encrypt, keyringFrom } from "../../lib/crypto/envelope";
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
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash) VALUES ($1, 'Rotated', 'x') RETURNING id`,
    [`rotate-${randomBytes(4).toString("hex")}@example.test`],
  );
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
    const sealedOld = await userWith((id) => encrypt("JBSWY3DPEHPK3PXP", id, old), (id) => encrypt("PENDINGSEED", id, old));
    const sealedNew = await userWith((id) => encrypt("ALREADYNEW", id, keyringFrom(NEW)), () => null);

    const run = rotate({ WARDEN_MASTER_KEY: NEW, WARDEN_PREVIOUS_MASTER_KEYS: OLD });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/users\.mfa_secret_enc: 1 re-encrypted, 1 already current/);
    expect(run.stdout).toMatch(/users\.mfa_pending_secret_enc: 1 re-encrypted, 0 already current/);
    expect(run.stdout).toMatch(/No value uses an older key any more/);

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
    const id = await userWith((uid) => encrypt("LOSTSEED", uid, keyringFrom(UNKNOWN)), () => null);
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
