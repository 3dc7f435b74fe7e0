import { log } from "../log";
import { purgeDeletedSecrets } from "../secrets/purge-deleted-secrets";
import { sealAccessWindows } from "../secrets/seal-access-windows";

const FIRST_RUN_MS = 60_000;
const EVERY_MS = 60 * 60_000;

let started = false;

/** One pass of the periodic jobs; a failure is logged and the next pass tries again. */
export async function runMaintenance(): Promise<void> {
  try {
    const { purged, workspaces } = await purgeDeletedSecrets();
    if (purged > 0) log.info({ purged, workspaces }, "purged secrets deleted more than 30 days ago");
  } catch (err) {
    log.error({ err }, "purging deleted secrets failed; retrying at the next pass");
  }
  try {
    const { sealed, workspaces } = await sealAccessWindows();
    if (sealed > 0) log.info({ sealed, workspaces }, "sealed the counts of closed secret access windows");
  } catch (err) {
    log.error({ err }, "sealing secret access windows failed; retrying at the next pass");
  }
}

/**
 * Starts the periodic jobs once per server process: a first pass shortly after
 * start, then hourly. The timers are unref'd, so they never keep a process alive
 * that is otherwise done, and a pass never overlaps the previous one.
 */
export function startMaintenance(): void {
  if (started) return;
  started = true;
  let running = false;
  const pass = () => {
    if (running) return;
    running = true;
    void runMaintenance().finally(() => {
      running = false;
    });
  };
  setTimeout(pass, FIRST_RUN_MS).unref();
  setInterval(pass, EVERY_MS).unref();
}
