import { describe, expect, it } from "vitest";
import { runExclusively } from "@/lib/maintenance/run-exclusively";

// Every instance runs the maintenance timers: one pass of a job at a time across all
// of them, decided by a PostgreSQL advisory lock (lib/maintenance/run-exclusively.ts).

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((done) => (open = done));
  return { open, opened };
};

describe("maintenance across instances", () => {
  it("two runners of the same job started together: one runs it, the other skips the tick", async () => {
    let running = 0;
    let most = 0;
    let passes = 0;
    const release = gate();
    const job = async () => {
      running += 1;
      passes += 1;
      most = Math.max(most, running);
      await release.opened;
      running -= 1;
    };
    const first = runExclusively("test-sweep", job);
    const second = runExclusively("test-sweep", job);
    // Both have asked for the lock before either job ends.
    await new Promise((done) => setTimeout(done, 300));
    release.open();
    const outcomes = (await Promise.all([first, second])).sort();
    expect(outcomes).toEqual(["ran", "skipped"]);
    expect(passes).toBe(1);
    expect(most).toBe(1);
  });

  it("different jobs do not block each other, and the lock is released when a pass ends (even a failing one)", async () => {
    const release = gate();
    const a = runExclusively("test-a", () => release.opened);
    await expect(runExclusively("test-b", async () => {})).resolves.toBe("ran");
    release.open();
    await expect(a).resolves.toBe("ran");
    await expect(runExclusively("test-a", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(runExclusively("test-a", async () => {})).resolves.toBe("ran");
  });

  it("ten runners in parallel, three rounds: never two passes at once", async () => {
    let running = 0;
    let most = 0;
    for (let round = 0; round < 3; round += 1) {
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, () =>
          runExclusively("test-many", async () => {
            running += 1;
            most = Math.max(most, running);
            await new Promise((done) => setTimeout(done, 200));
            running -= 1;
          }),
        ),
      );
      expect(outcomes.filter((o) => o === "ran").length).toBeGreaterThanOrEqual(1);
    }
    expect(most).toBe(1);
  });
});
