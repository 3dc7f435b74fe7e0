import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { inject } from "vitest";
import { connect } from "../support/owner-db";
import { ensureDatabase } from "../../lib/db/ensure-database";
import { runMigrations } from "../../lib/db/migrate";

function seed(databaseUrl: string) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/seed-demo.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, AUTH_SECRET: "x".repeat(32) },
    encoding: "utf8",
  });
}

describe("seed:demo", () => {
  it("loads two workspaces with every role and a month of audit events, role changes within the last 7 days among them, and refuses a database with real users", async () => {
    const url = await ensureDatabase(inject("serverUrl"), `warden_seed_${Date.now()}`);
    await runMigrations(url);
    const loaded = seed(url);
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(loaded.stdout).toContain("password:");

    const client = await connect(url);
    const roles = await client.query(`SELECT w.slug, array_agg(m.role::text ORDER BY m.role) AS roles FROM memberships m JOIN workspaces w ON w.id = m.workspace_id GROUP BY w.slug ORDER BY w.slug`);
    expect(roles.rows).toEqual([
      { slug: "acme-demo", roles: ["owner", "admin", "developer", "editor", "viewer"] },
      { slug: "globex-demo", roles: ["owner", "admin", "developer", "editor", "viewer"] },
    ]);
    const spread = await client.query(`SELECT count(*)::int AS n, max(occurred_at) - min(occurred_at) > interval '20 days' AS spread FROM audit_events`);
    expect(spread.rows[0].n).toBeGreaterThanOrEqual(200);
    expect(spread.rows[0].spread).toBe(true);

    // The README's example, GET /api/v1/audit?action=member.role_changed&range=7d, finds
    // role changes in each demo workspace, made of another member, in the app's shape.
    const recent = await client.query(
      `SELECT w.slug, count(*)::int AS n,
              bool_and(e.target_type = 'user' AND e.target_id <> e.actor_id::text AND e.metadata->'after'->>'role' = m.role::text) AS readable
         FROM audit_events e JOIN workspaces w ON w.id = e.workspace_id
         JOIN memberships m ON m.workspace_id = e.workspace_id AND m.user_id::text = e.target_id
        WHERE e.action = 'member.role_changed' AND e.occurred_at >= now() - interval '7 days'
        GROUP BY w.slug ORDER BY w.slug`,
    );
    expect(recent.rows.map((r) => r.slug)).toEqual(["acme-demo", "globex-demo"]);
    for (const row of recent.rows) {
      expect(row.n).toBeGreaterThanOrEqual(3);
      expect(row.readable).toBe(true);
    }

    await client.query(`INSERT INTO users (email, name, password_hash) VALUES ('real@example.test', 'Real', 'x')`);
    await client.end();
    const refused = seed(url);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/real \(non-demo\) users/);
  });
});
