import { readFileSync, rmSync } from "node:fs";
import { STATE_FILE } from "./paths";

export default async function globalTeardown() {
  const state = JSON.parse(readFileSync(STATE_FILE, "utf8")) as { pid: number; dataDir: string };
  try {
    process.kill(-state.pid, "SIGTERM");
  } catch {
    // already gone
  }
  // Give the launcher time to stop PostgreSQL before its files go.
  for (let i = 0; i < 40; i++) {
    try {
      process.kill(state.pid, 0);
      await new Promise((r) => setTimeout(r, 250));
    } catch {
      break;
    }
  }
  rmSync(state.dataDir, { recursive: true, force: true });
}
