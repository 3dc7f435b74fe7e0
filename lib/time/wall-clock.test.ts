import { describe, expect, it } from "vitest";
import { instantFromWallClock, wallClockIn } from "./wall-clock";

describe("wall-clock times in a zone", () => {
  it("shows an instant as the zone's wall clock, DST included", () => {
    expect(wallClockIn("2026-03-10T15:30:00.000Z", "America/New_York")).toBe("2026-03-10T11:30");
    expect(wallClockIn("2026-01-10T15:30:00.000Z", "America/New_York")).toBe("2026-01-10T10:30");
    expect(wallClockIn("2026-03-10T15:30:00.000Z", "UTC")).toBe("2026-03-10T15:30");
    expect(wallClockIn("2026-03-10T23:30:00.000Z", "Asia/Kolkata")).toBe("2026-03-11T05:00");
  });

  it("reads a wall-clock time back as the instant it names in the zone", () => {
    expect(instantFromWallClock("2026-03-10T10:00", "America/New_York")).toBe("2026-03-10T14:00:00.000Z");
    expect(instantFromWallClock("2026-11-23T10:00", "Europe/Paris")).toBe("2026-11-23T09:00:00.000Z");
    expect(instantFromWallClock("2026-03-10T10:00", "UTC")).toBe("2026-03-10T10:00:00.000Z");
    // The day DST begins in New York (8 March 2026): before and after the jump.
    expect(instantFromWallClock("2026-03-08T01:30", "America/New_York")).toBe("2026-03-08T06:30:00.000Z");
    expect(instantFromWallClock("2026-03-08T03:30", "America/New_York")).toBe("2026-03-08T07:30:00.000Z");
  });

  it("round-trips every hour of a year in a zone with DST", () => {
    for (let t = Date.parse("2026-01-01T00:00:00Z"); t < Date.parse("2027-01-01T00:00:00Z"); t += 3_600_000) {
      const iso = new Date(t).toISOString();
      const wall = wallClockIn(iso, "Europe/Berlin");
      const back = instantFromWallClock(wall, "Europe/Berlin");
      // In the hour repeated in autumn two instants share one wall clock: either is right.
      expect(wallClockIn(back, "Europe/Berlin")).toBe(wall);
    }
  });
});
