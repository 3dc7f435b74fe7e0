import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { E2E_PORT } from "../../../playwright.config";
import { SERVER_LOG, STATE_FILE } from "./paths";

/**
 * Starts Warden exactly as a user does (`scripts/start.ts`, embedded database,
 * production build), captures its terminal output into a log the specs can read
 * (the setup token; and the proof that no secret was logged), and waits for it.
 */
export default async function globalSetup() {
  // A server left on the port would answer for this run's and hide its failures.
  const stale = await fetch(`http://localhost:${E2E_PORT}/api/health`).then(
    () => true,
    () => false,
  );
  if (stale) throw new Error(`Port ${E2E_PORT} is already serving; stop that server or set E2E_PORT`);
  const dataDir = mkdtempSync(join(tmpdir(), "warden-e2e-"));
  const secretsDir = join(dataDir, "secrets");
  mkdirSync("test-results", { recursive: true });
  const log = createWriteStream(SERVER_LOG);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WARDEN_DATA_DIR: dataDir,
    PORT: String(E2E_PORT),
    WARDEN_URL: `http://localhost:${E2E_PORT}`,
    // Generated secrets stay in the run's directory, never in the tester's ~/.config.
    WARDEN_SECRETS_DIR: secretsDir,
    // Specs stand in for different clients by sending X-Forwarded-For, as a proxy would.
    TRUST_PROXY_HOPS: "1",
    // A lockout short enough for a spec to see it lift (threshold and window stay default).
    LOCKOUT_DURATION_SECONDS: "5",
    // Browser origins allowed to call /api/v1 (tests/e2e/cors.spec.ts): an external one, and a
    // loopback page the spec serves itself (a browser lets only loopback pages reach localhost).
    WARDEN_ALLOWED_ORIGINS: `https://app.cors.test,http://127.0.0.1:${E2E_PORT + 1000}`,
  };
  for (const name of ["DATABASE_URL", "APP_DATABASE_URL", "APP_DATABASE_PASSWORD", "AUTH_SECRET", "WARDEN_MASTER_KEY", "WARDEN_PREVIOUS_MASTER_KEYS"]) delete env[name];

  const server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
  };
  server.stdout.on("data", collect);
  server.stderr.on("data", collect);

  const deadline = Date.now() + 8 * 60_000;
  let token: string | undefined;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`Warden exited during start-up:\n${output.slice(-4000)}`);
    token ??= /setup token: (\S+)/.exec(output)?.[1];
    if (token) {
      const ok = await fetch(`http://localhost:${E2E_PORT}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!token) throw new Error(`Warden did not become ready:\n${output.slice(-4000)}`);
  writeFileSync(STATE_FILE, JSON.stringify({ pid: server.pid, dataDir, secretsDir, setupToken: token }));
}
