import { applyAuditRetention } from "../audit/apply-audit-retention";
import { log } from "../log";
import { cleanUpStaleRows } from "./clean-up-stale-rows";
import { runExclusively } from "./run-exclusively";
import { purgeDeletedSecrets } from "../secrets/purge-deleted-secrets";
import { sealAccessWindows } from "../secrets/seal-access-windows";
import { sweepExpiredHolds } from "../spend/sweep-expired-holds";

const FIRST_RUN_MS = 60_000;
const EVERY_MS = 60 * 60_000;
// Holds expire 10 minutes after they are taken: swept each minute, an idle agent's
// day shows a hold as spent within 11 minutes at most.
const HOLDS_EVERY_MS = 60_000;
// Retention and cleanup remove rows by the day: once a day is enough, and its first
// pass a few minutes after start keeps a restart loop from running it each time.
const DAILY_MS = 24 * 60 * 60_000;
const DAILY_FIRST_RUN_MS = 5 * 60_000;

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

/**
 * One pass of the daily jobs: audit retention per workspace (the counts and the
 * checkpoints logged), then the cleanup of ended sessions, old sign-in failures,
 * expired invitations and settled holds. A failure is logged, never thrown.
 */
export async function runDailyMaintenance(): Promise<void> {
  try {
    const { removed, workspaces, applied, failed } = await applyAuditRetention();
    if (removed > 0) log.info({ removed, workspaces, applied }, "removed audit events older than their workspace's retention window");
    for (const { workspaceId, error } of failed) log.error({ err: error, workspaceId }, "applying a workspace's audit retention failed; retrying at the next pass");
  } catch (err) {
    log.error({ err }, "applying audit retention failed; retrying at the next pass");
  }
  try {
    const { failed, ...counts } = await cleanUpStaleRows();
    if (counts.sessions + counts.signInFailures + counts.invitations + counts.holds > 0) log.info(counts, "removed ended sessions, old sign-in failures, expired invitations and settled holds");
    for (const { workspaceId, error } of failed) log.error({ err: error, workspaceId }, "cleaning up a workspace's stale rows failed; retrying at the next pass");
  } catch (err) {
    log.error({ err }, "cleaning up stale rows failed; retrying at the next pass");
  }
}

/**
 * A job on a timer (first pass after firstAfterMs, then every ms) that never
 * overlaps its previous pass here, nor its pass in another instance (runExclusively).
 */
function every(name: string, ms: number, firstAfterMs: number, job: () => Promise<void>) {
  let running: Promise<unknown> | null = null;
  let interval: NodeJS.Timeout | undefined;
  const pass = () => {
    if (running) return;
    running = runExclusively(name, job)
      .catch((err) => log.error({ err, job: name }, "a maintenance pass could not start; retrying at the next pass"))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(() => {
    pass();
    interval = setInterval(pass, ms).unref();
  }, firstAfterMs).unref();
  return async () => {
    clearTimeout(first);
    clearInterval(interval);
    await running;
  };
}

export type Maintenance = { stop: () => Promise<void> };

/**
 * Starts the periodic jobs once per server process: the hourly jobs shortly after
 * start, then hourly; the hold sweep each minute; retention and cleanup five
 * minutes after start, then daily. The timers are unref'd, so they never keep a
 * process alive that is otherwise done. stop() clears them and waits for a pass
 * under way (a draining server calls it before closing the pool).
 */
export function startMaintenance(): Maintenance {
  if (started) return { stop: async () => {} };
  started = true;
  const stops = [
    every("hourly", EVERY_MS, FIRST_RUN_MS, runMaintenance),
    every("hold-sweep", HOLDS_EVERY_MS, HOLDS_EVERY_MS, runHoldSweep),
    every("daily", DAILY_MS, DAILY_FIRST_RUN_MS, runDailyMaintenance),
  ];
  return {
    stop: async () => {
      await Promise.all(stops.map((stop) => stop()));
      started = false;
    },
  };
}
