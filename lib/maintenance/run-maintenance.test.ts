import { afterEach, describe, expect, it, vi } from "vitest";

const purge = vi.fn();
vi.mock("../secrets/purge-deleted-secrets", () => ({ purgeDeletedSecrets: () => purge() }));
const seal = vi.fn(async () => ({ workspaces: 0, sealed: 0 }));
vi.mock("../secrets/seal-access-windows", () => ({ sealAccessWindows: () => seal() }));
const sweep = vi.fn(async () => ({ workspaces: 0, expired: 0, failed: [] as { workspaceId: string; error: unknown }[] }));
vi.mock("../spend/sweep-expired-holds", () => ({ sweepExpiredHolds: () => sweep() }));
const retention = vi.fn(async () => ({ workspaces: 0, removed: 0, applied: [], failed: [] as { workspaceId: string; error: unknown }[] }));
vi.mock("../audit/apply-audit-retention", () => ({ applyAuditRetention: () => retention() }));
const cleanup = vi.fn(async () => ({ sessions: 0, signInFailures: 0, invitations: 0, holds: 0, workspaces: 0, failed: [] as { workspaceId: string; error: unknown }[] }));
vi.mock("./clean-up-stale-rows", () => ({ cleanUpStaleRows: () => cleanup() }));
// One instance at a time is tests/integration/maintenance-exclusive.test.ts's (a real PostgreSQL).
vi.mock("./run-exclusively", () => ({ runExclusively: async (_name: string, job: () => Promise<void>) => (await job(), "ran") }));
const { log } = await import("../log");
const { runDailyMaintenance, runHoldSweep, runMaintenance, startMaintenance } = await import("./run-maintenance");

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  purge.mockReset();
  seal.mockClear();
  sweep.mockClear();
  retention.mockClear();
  cleanup.mockClear();
});

describe("maintenance", () => {
  it("a failing purge is logged and never thrown: the server keeps running", async () => {
    purge.mockRejectedValue(new Error("database unavailable"));
    const logged = vi.spyOn(log, "error").mockImplementation(() => undefined as never);
    await expect(runMaintenance()).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), expect.stringMatching(/purging deleted secrets failed/));
  });

  it("a failing purge does not stop the access windows' seal, and a failing seal is logged, never thrown", async () => {
    purge.mockRejectedValue(new Error("database unavailable"));
    seal.mockRejectedValueOnce(new Error("database unavailable"));
    const logged = vi.spyOn(log, "error").mockImplementation(() => undefined as never);
    await expect(runMaintenance()).resolves.toBeUndefined();
    expect(seal).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), expect.stringMatching(/sealing secret access windows failed/));
  });

  it("a failing hold sweep is logged and never thrown", async () => {
    sweep.mockRejectedValueOnce(new Error("database unavailable"));
    const logged = vi.spyOn(log, "error").mockImplementation(() => undefined as never);
    await expect(runHoldSweep()).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), expect.stringMatching(/sweeping expired spend holds failed/));
  });

  it("a failing retention pass does not stop the cleanup, and neither is thrown", async () => {
    retention.mockRejectedValueOnce(new Error("database unavailable"));
    cleanup.mockRejectedValueOnce(new Error("database unavailable"));
    const logged = vi.spyOn(log, "error").mockImplementation(() => undefined as never);
    await expect(runDailyMaintenance()).resolves.toBeUndefined();
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), expect.stringMatching(/applying audit retention failed/));
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), expect.stringMatching(/cleaning up stale rows failed/));
  });

  it("logs what retention removed per workspace and each workspace that failed", async () => {
    const applied = [{ workspaceId: "w1", removed: 7, lastSeq: "7", lastHash: "a".repeat(64) }];
    retention.mockResolvedValueOnce({ workspaces: 2, removed: 7, applied, failed: [{ workspaceId: "w2", error: new Error("refused") }] } as never);
    cleanup.mockResolvedValueOnce({ sessions: 3, signInFailures: 4, invitations: 1, holds: 2, workspaces: 1, failed: [] });
    const info = vi.spyOn(log, "info").mockImplementation(() => undefined as never);
    const error = vi.spyOn(log, "error").mockImplementation(() => undefined as never);
    await runDailyMaintenance();
    expect(info).toHaveBeenCalledWith(expect.objectContaining({ removed: 7, workspaces: 2, applied }), expect.stringMatching(/retention window/));
    expect(info).toHaveBeenCalledWith(expect.objectContaining({ sessions: 3, signInFailures: 4, invitations: 1, holds: 2 }), expect.stringMatching(/ended sessions/));
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ workspaceId: "w2" }), expect.stringMatching(/audit retention failed/));
  });

  it("retention and cleanup run five minutes after start, then daily", async () => {
    vi.useFakeTimers();
    vi.resetModules();
    purge.mockResolvedValue({ workspaces: 0, purged: 0 });
    const fresh = await import("./run-maintenance");
    fresh.startMaintenance();
    await vi.advanceTimersByTimeAsync(5 * 60_000 - 1);
    expect(retention).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(retention).toHaveBeenCalledTimes(1);
    expect(cleanup).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(24 * 60 * 60_000);
    expect(retention).toHaveBeenCalledTimes(2);
    expect(cleanup).toHaveBeenCalledTimes(2);
  });

  it("starts once per process: a first pass shortly after start, then hourly, on timers that keep nothing alive", async () => {
    vi.useFakeTimers();
    purge.mockResolvedValue({ workspaces: 0, purged: 0 });
    startMaintenance();
    startMaintenance();
    expect(purge).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(purge).toHaveBeenCalledTimes(1);
    expect(sweep).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(purge).toHaveBeenCalledTimes(2);
    // The hold sweep runs each minute.
    expect(sweep).toHaveBeenCalledTimes(61);
  });
});
