import { AppError } from "../errors";

// A verification reads the whole chain; each run holds one pooled connection at a
// time (a batch per short transaction), and this guard bounds how many run at once
// in this process, which is where the pool lives: one per workspace (a second
// click while one runs learns it is running) and a few overall, so the pool that
// every request needs is never drained by verifications.
const MAX_RUNS = 3;

const globalRuns = globalThis as unknown as { wardenChainVerifications?: Set<string> };
const running = (globalRuns.wardenChainVerifications ??= new Set<string>());

export async function withChainVerificationSlot<T>(workspaceId: string, work: () => Promise<T>): Promise<T> {
  if (running.has(workspaceId)) {
    throw new AppError("rate_limited", "An integrity check of this workspace is already running. Wait for its result.", undefined, "verification_running");
  }
  if (running.size >= MAX_RUNS) {
    throw new AppError("rate_limited", "Several integrity checks are running. Try again in a minute.", undefined, "verification_busy");
  }
  running.add(workspaceId);
  try {
    return await work();
  } finally {
    running.delete(workspaceId);
  }
}
