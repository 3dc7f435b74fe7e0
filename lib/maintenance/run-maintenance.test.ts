import { afterEach, describe, expect, it, vi } from "vitest";

const purge = vi.fn();
vi.mock("../secrets/purge-deleted-secrets", () => ({ purgeDeletedSecrets: () => purge() }));
const seal = vi.fn(async () => ({ workspaces: 0, sealed: 0 }));
vi.mock("../secrets/seal-access-windows", () => ({ sealAccessWindows: () => seal() }));
const sweep = vi.fn(async () => ({ workspaces: 0, expired: 0, failed: [] as { workspaceId: string; error: unknown }[] }));
vi.mock("../spend/sweep-expired-holds", () => ({ sweepExpiredHolds: () => sweep() }));
const { log } = await import("../log");
const { runHoldSweep, runMaintenance, startMaintenance } = await import("./run-maintenance");

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  purge.mockReset();
  seal.mockClear();
  sweep.mockClear();
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
