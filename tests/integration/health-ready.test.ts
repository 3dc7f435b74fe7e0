import { afterAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { middleware } from "@/middleware";
import { GET as live } from "@/app/api/health/live/route";
import { GET as ready } from "@/app/api/health/ready/route";
import { isDraining, startDraining } from "@/lib/server/lifecycle";

// Load balancers probe these without a session: liveness (the process answers) and
// readiness (send requests here: PostgreSQL answers and the instance is not draining).

const lifecycle = () => (globalThis as unknown as Record<symbol, { draining: boolean }>)[Symbol.for("warden.lifecycle")];

afterAll(() => {
  lifecycle().draining = false;
});

describe("health probes", () => {
  it("live and ready are public: no session, no redirect to sign-in", async () => {
    for (const path of ["/api/health/live", "/api/health/ready"]) {
      const response = await middleware(new NextRequest(`http://localhost:3000${path}`));
      expect(response.status, path).toBe(200);
      expect(response.headers.get("location"), path).toBeNull();
    }
  });

  it("ready is 200 with PostgreSQL reachable, then 503 once the server drains; live stays 200", async () => {
    expect(isDraining()).toBe(false);
    expect((await ready()).status).toBe(200);
    startDraining();
    const draining = await ready();
    expect(draining.status).toBe(503);
    expect(await draining.json()).toEqual({ status: "draining" });
    expect(live().status).toBe(200);
  });
});
