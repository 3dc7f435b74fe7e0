import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export type LocalSecrets = { AUTH_SECRET: string; WARDEN_MASTER_KEY: string; APP_DATABASE_PASSWORD: string };

export type LoadedSecrets = LocalSecrets & { file: string; movedFrom?: string };

const generate = {
  AUTH_SECRET: () => randomBytes(32).toString("base64url"),
  WARDEN_MASTER_KEY: () => randomBytes(32).toString("base64"),
  APP_DATABASE_PASSWORD: () => randomBytes(32).toString("base64url"),
};

/**
 * Where the generated secrets of a data directory live: outside it, so that a backup
 * or copy of the data (the embedded cluster) does not carry the master key that
 * unseals it. One file per data directory, named by an id kept in that directory
 * (not by its path, so moving the directory keeps its secrets).
 */
export function secretsFileFor(dataDir: string, secretsDir = process.env.WARDEN_SECRETS_DIR): string {
  const root = resolve(dataDir);
  const dir = resolve(secretsDir || join(process.env.XDG_CONFIG_HOME || join(homedir(), ".config"), "warden"));
  const idFile = join(root, "instance-id");
  if (!existsSync(idFile)) {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(idFile, randomBytes(8).toString("hex"), { flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  const id = readFileSync(idFile, "utf8").trim();
  if (!/^[0-9a-f]{16}$/.test(id)) throw new Error(`${idFile} is not an instance id; remove it only if ${root} holds no data`);
  return join(dir, `${id}.json`);
}

function write(file: string, secrets: LocalSecrets) {
  const dir = resolve(file, "..");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  // Written whole beside it, then renamed: a crash leaves the old file or the new one.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(secrets), { mode: 0o600 });
  renameSync(temporary, file);
}

/**
 * On the embedded, zero-configuration path, secrets the operator did not set are
 * generated once (mode 600, in a directory of mode 700) and kept for later starts, so
 * sessions, encrypted values and the app role's login survive restarts. A file left
 * by earlier versions in the data directory (`<dataDir>/secrets.json`) is moved out.
 */
export function loadOrCreateLocalSecrets(dataDir: string): LoadedSecrets {
  const file = secretsFileFor(dataDir);
  const legacy = join(resolve(dataDir), "secrets.json");
  let movedFrom: string | undefined;
  let stored: Partial<LocalSecrets> = {};
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    stored = JSON.parse(readFileSync(file, "utf8")) as Partial<LocalSecrets>;
  } else if (existsSync(legacy)) {
    stored = JSON.parse(readFileSync(legacy, "utf8")) as Partial<LocalSecrets>;
    movedFrom = legacy;
  }
  const secrets = { ...stored } as LocalSecrets;
  let changed = movedFrom !== undefined;
  for (const name of Object.keys(generate) as (keyof LocalSecrets)[]) {
    if (!secrets[name]) {
      secrets[name] = generate[name]();
      changed = true;
    }
  }
  if (changed) write(file, secrets);
  // Only once the new file holds them does the old copy go.
  if (existsSync(legacy) && JSON.parse(readFileSync(file, "utf8")).WARDEN_MASTER_KEY === readLegacyKey(legacy)) rmSync(legacy);
  return { ...secrets, file, movedFrom };
}

function readLegacyKey(file: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as Partial<LocalSecrets>).WARDEN_MASTER_KEY;
  } catch {
    return undefined;
  }
}
