import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

type Secrets = { AUTH_SECRET: string; WARDEN_MASTER_KEY: string };

/**
 * On the embedded, zero-configuration path, secrets the operator did not set are
 * generated once and kept in the data directory (mode 600), so sessions and
 * encrypted values survive restarts. With an external database they must be set.
 */
export function loadOrCreateLocalSecrets(dataDir: string): Secrets {
  const file = join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Secrets;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secrets = {
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    WARDEN_MASTER_KEY: randomBytes(32).toString("base64"),
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}
