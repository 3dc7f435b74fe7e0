import { log } from "../log";
import { purgeDeletedSecrets } from "../secrets/purge-deleted-secrets";
import { sealAccessWindows } from "../secrets/seal-access-windows";
import { sweepExpiredHolds } from "../spend/sweep-expired-holds";

const FIRST_RUN_MS = 60_000;
const EVERY_MS = 60 * 60_000;
// Holds expire 10 minutes after they are taken: swept each minute, an idle agent's
// day shows a hold as spent within 11 minutes at most.
const HOLDS_EVERY_MS = 60_000;

let started = false;

/** One pass of the hourly jobs; a failure is logged and the next pass tries again. */
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

/** One pass of the per-minute sweep of expired spend holds; a failure is logged, never thrown. */
export async function runHoldSweep(): Promise<void> {
  try {
    const { expired, workspaces, failed } = await sweepExpiredHolds();
    if (expired > 0) log.info({ expired, workspaces }, "charged spend holds left unsettled past 10 minutes");
    for (const { workspaceId, error } of failed) log.error({ err: error, workspaceId }, "charging a workspace's expired spend holds failed; retrying at the next pass");
  } catch (err) {
    log.error({ err }, "sweeping expired spend holds failed; retrying at the next pass");
  }
}

/** A job on a timer (first pass after firstAfterMs, then every ms) that never overlaps its previous pass. */
function every(ms: number, firstAfterMs: number, job: () => Promise<void>) {
  let running = false;
  const pass = () => {
    if (running) return;
    running = true;
    void job().finally(() => {
      running = false;
    });
  };
  setTimeout(() => {
    pass();
    setInterval(pass, ms).unref();
  }, firstAfterMs).unref();
}

/**
 * Starts the periodic jobs once per server process: the hourly jobs shortly after
 * start, then hourly; the hold sweep each minute. The timers are unref'd, so they
 * never keep a process alive that is otherwise done.
 */
export function startMaintenance(): void {
  if (started) return;
  started = true;
  every(EVERY_MS, FIRST_RUN_MS, runMaintenance);
  every(HOLDS_EVERY_MS, HOLDS_EVERY_MS, runHoldSweep);
}
