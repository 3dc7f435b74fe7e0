import { existsSync, mkdtempSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../lib/config";
import { loadOrCreateLocalSecrets } from "../../scripts/runtime-secrets";

// The generated master key unseals what the embedded database holds; a backup of the
// data directory must not carry it.

const scratch = () => mkdtempSync(join(tmpdir(), "warden-secrets-test-"));
const mode = (path: string) => statSync(path).mode & 0o777;
const saved = { WARDEN_SECRETS_DIR: process.env.WARDEN_SECRETS_DIR, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("generated secrets", () => {
  it("live outside the data directory, in ~/.config/warden by default, file mode 600 in a directory of mode 700", () => {
    delete process.env.WARDEN_SECRETS_DIR;
    const config = scratch();
    process.env.XDG_CONFIG_HOME = config;
    const dataDir = join(scratch(), "data");
    const secrets = loadOrCreateLocalSecrets(dataDir);
    expect(dirname(secrets.file)).toBe(join(config, "warden"));
    expect(secrets.file.startsWith(dataDir)).toBe(false);
    expect(mode(secrets.file)).toBe(0o600);
    expect(mode(dirname(secrets.file))).toBe(0o700);
    expect(existsSync(join(dataDir, "secrets.json"))).toBe(false);
    expect(Buffer.from(secrets.WARDEN_MASTER_KEY, "base64")).toHaveLength(32);
    expect(secrets.APP_DATABASE_PASSWORD.length).toBeGreaterThanOrEqual(24);
    // Kept for later starts, and for the data directory wherever it is moved.
    expect(loadOrCreateLocalSecrets(dataDir)).toMatchObject({ WARDEN_MASTER_KEY: secrets.WARDEN_MASTER_KEY, file: secrets.file });
    const moved = join(scratch(), "moved");
    renameSync(dataDir, moved);
    expect(loadOrCreateLocalSecrets(moved).WARDEN_MASTER_KEY).toBe(secrets.WARDEN_MASTER_KEY);
    // Another data directory gets its own.
    expect(loadOrCreateLocalSecrets(join(scratch(), "other")).file).not.toBe(secrets.file);
  });

  it("go where WARDEN_SECRETS_DIR says", () => {
    const dir = join(scratch(), "elsewhere");
    process.env.WARDEN_SECRETS_DIR = dir;
    const secrets = loadOrCreateLocalSecrets(scratch());
    expect(dirname(secrets.file)).toBe(dir);
    expect(mode(dir)).toBe(0o700);
  });

  it("left in <dataDir>/secrets.json by an earlier version are moved out and keep working", () => {
    process.env.WARDEN_SECRETS_DIR = join(scratch(), "secrets");
    const dataDir = scratch();
    const legacy = { AUTH_SECRET: "a".repeat(43), WARDEN_MASTER_KEY: Buffer.alloc(32, 3).toString("base64") };
    writeFileSync(join(dataDir, "secrets.json"), JSON.stringify(legacy), { mode: 0o600 });
    const secrets = loadOrCreateLocalSecrets(dataDir);
    expect(secrets).toMatchObject({ ...legacy, movedFrom: join(dataDir, "secrets.json") });
    expect(existsSync(join(dataDir, "secrets.json"))).toBe(false);
    expect(JSON.parse(readFileSync(secrets.file, "utf8"))).toMatchObject({ ...legacy, APP_DATABASE_PASSWORD: secrets.APP_DATABASE_PASSWORD });
    expect(mode(secrets.file)).toBe(0o600);
    expect(loadOrCreateLocalSecrets(dataDir)).toMatchObject({ ...legacy, movedFrom: undefined });
  });
});

describe("WARDEN_PREVIOUS_MASTER_KEYS", () => {
  const key = (fill: number) => Buffer.alloc(32, fill).toString("base64");

  it("is checked at start: every entry must be a 32-byte base64 key, and the error names the variable, not the key", () => {
    expect(() => parseConfig({ WARDEN_PREVIOUS_MASTER_KEYS: `${key(1)}, ${key(2)}` })).not.toThrow();
    const bad = "not-a-key-but-a-typo";
    let error: unknown;
    try {
      parseConfig({ WARDEN_PREVIOUS_MASTER_KEYS: `${key(1)},${bad}` });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/WARDEN_PREVIOUS_MASTER_KEYS: entry 2 of 2 is not 32 bytes, base64-encoded/);
    expect((error as Error).message).not.toContain(bad);
  });
});
