// The production server the HTTP benchmarks measure: Warden as `npm start` runs it,
// on the benchmark's database, connected as the application role; a build first if
// the sources changed.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export async function startBenchServer(options: { ownerUrl: string; dataDir: string; port: number }): Promise<ChildProcess> {
  const base = `http://127.0.0.1:${options.port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.ownerUrl,
    PORT: String(options.port),
    WARDEN_URL: base,
    WARDEN_DATA_DIR: options.dataDir,
    WARDEN_SECRETS_DIR: join(options.dataDir, "secrets"),
  };
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  console.log("starting Warden (a production build first if the sources changed; this can take minutes)…");
  const deadline = Date.now() + 15 * 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`Warden exited during start-up:\n${output.slice(-4000)}`);
    if (
      await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return server;
    await new Promise((r) => setTimeout(r, 500));
  }
  stopBenchServer(server);
  throw new Error(`Warden did not become ready:\n${output.slice(-4000)}`);
}

export function stopBenchServer(server: ChildProcess) {
  // The process group started above (scripts/start.ts and the server it spawned), by its id.
  if (server.pid && server.exitCode === null) process.kill(-server.pid, "SIGTERM");
}
