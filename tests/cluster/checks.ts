import { randomUUID } from "node:crypto";
import assert from "node:assert/strict";
import pg from "pg";
import { hashPassword } from "../../lib/auth/password";
import { callAction, Device, freshIp, signIn, totpCode } from "./http-client";

// What several instances must keep, checked through real HTTP: each check names
// its promise and fails if the promise is broken.

export type Cluster = { lb: string; a: string; b: string; ownerUrl: string };
export type Check = { name: string; run: (cluster: Cluster) => Promise<void> };

export const PASSWORD = "a long enough cluster passphrase";
let hashed: Promise<string> | undefined;

export async function owner(cluster: Cluster): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: cluster.ownerUrl });
  await client.connect();
  return client;
}

type Seeded = { workspaceId: string; slug: string; users: Record<string, { id: string; email: string }> };

/** A workspace and its people written as the owner, each with PASSWORD. */
export async function seedWorkspace(cluster: Cluster, members: Record<string, string>, label = "cluster"): Promise<Seeded> {
  const hash = await (hashed ??= hashPassword(PASSWORD));
  const db = await owner(cluster);
  try {
    const slug = `${label}-${randomUUID().slice(0, 8)}`;
    const ws = await db.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ($1, $2) RETURNING id::text`, [slug, slug]);
    const users: Seeded["users"] = {};
    for (const [key, role] of Object.entries(members)) {
      const email = `${key}-${randomUUID().slice(0, 8)}@example.test`;
      const user = await db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id::text`, [email, key, hash]);
      await db.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)`, [ws.rows[0].id, user.rows[0].id, role]);
      users[key] = { id: user.rows[0].id, email };
    }
    return { workspaceId: ws.rows[0].id, slug, users };
  } finally {
    await db.end();
  }
}

async function signedIn(base: string, email: string): Promise<Device> {
  const device = new Device();
  const outcome = await signIn(device, base, { email, password: PASSWORD });
  assert.ok(outcome.signedIn, `sign-in of ${email} on ${base}: ${outcome.status} ${outcome.error}`);
  return device;
}

async function agentWithCap(cluster: Cluster, workspaceId: string, createdBy: string, capMicros: number) {
  const { generateApiKey } = await import("../../lib/api-keys/api-key-token");
  const db = await owner(cluster);
  try {
    const agent = await db.query<{ id: string }>(`INSERT INTO agents (workspace_id, name, daily_cap_micros, time_zone, unpriced_policy) VALUES ($1, $2, $3, 'UTC', 'allow') RETURNING id::text`, [
      workspaceId,
      `agent-${randomUUID().slice(0, 8)}`,
      capMicros,
    ]);
    const { key, prefix, hash } = generateApiKey();
    await db.query(`INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id) VALUES ($1, 'runtime', $2, $3, $4, $5)`, [
      workspaceId,
      prefix,
      hash,
      ["runtime:spend"],
      createdBy,
    ]);
    return { agentId: agent.rows[0].id, key };
  } finally {
    await db.end();
  }
}

export const authorizeSpend = (base: string, key: string, agentId: string, dollars = "1") =>
  fetch(`${base}/api/v1/agents/${agentId}/authorizations`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": randomUUID(), "x-forwarded-for": freshIp() },
    body: JSON.stringify({ model: "cluster-unpriced", estimated_cost: dollars }),
  });

export { agentWithCap, signedIn };

export const CHECKS: Check[] = [
  {
    name: "signed in on one instance, the session works on the other (a page and an action)",
    async run(cluster) {
      const ws = await seedWorkspace(cluster, { owner: "owner", dev: "developer" });
      const device = await signedIn(cluster.a, ws.users.owner.email);
      const page = await device.request(cluster.b, `/w/${ws.slug}/members`);
      assert.equal(page.status, 200);
      assert.ok((await page.text()).includes(ws.users.dev.email), "the members page on B lists the workspace's members");
      const name = `from-b-${randomUUID().slice(0, 6)}`;
      const created = await callAction(device, cluster.b, `/w/${ws.slug}/usage`, "createAgent", { workspace: ws.slug, name, dailyCap: "5" });
      assert.equal(created.status, 200, created.text.slice(0, 300));
      const db = await owner(cluster);
      try {
        const { rows } = await db.query(`SELECT 1 FROM agents WHERE workspace_id = $1 AND name = $2`, [ws.workspaceId, name]);
        assert.equal(rows.length, 1, "the agent created through B exists");
      } finally {
        await db.end();
      }
    },
  },
  {
    name: "an owner revokes every session on one instance: the member's next request on the other is refused",
    async run(cluster) {
      const ws = await seedWorkspace(cluster, { owner: "owner", member: "developer" });
      const member = await signedIn(cluster.a, ws.users.member.email);
      const ownerDevice = await signedIn(cluster.b, ws.users.owner.email);
      assert.equal((await member.request(cluster.b, `/w/${ws.slug}/members`)).status, 200, "before: the member's session works on B");
      const revoked = await callAction(ownerDevice, cluster.a, `/w/${ws.slug}/security`, "revokeAllSessions", { workspace: ws.slug });
      assert.equal(revoked.status, 200, revoked.text.slice(0, 300));
      const after = await member.request(cluster.b, `/w/${ws.slug}/members`);
      assert.ok([302, 303, 307].includes(after.status), `after: B answers ${after.status}, not a redirect`);
      assert.match(after.headers.get("location") ?? "", /\/sign-in/);
      assert.equal((await ownerDevice.request(cluster.b, `/w/${ws.slug}/members`)).status, 200, "the owner's own session stays");
    },
  },
  {
    name: "failed sign-ins count across instances: five spread over both lock the account on both",
    async run(cluster) {
      const ws = await seedWorkspace(cluster, { victim: "viewer" });
      const email = ws.users.victim.email;
      for (let i = 0; i < 5; i += 1) {
        const outcome = await signIn(new Device(), i % 2 ? cluster.b : cluster.a, { email, password: "a wrong passphrase, long enough" });
        assert.ok(!outcome.signedIn);
      }
      for (const base of [cluster.a, cluster.b]) {
        const outcome = await signIn(new Device(), base, { email, password: PASSWORD });
        assert.ok(!outcome.signedIn, `the right password is refused on ${base}: the account is locked`);
      }
      const control = await seedWorkspace(cluster, { other: "viewer" });
      assert.ok((await signIn(new Device(), cluster.b, { email: control.users.other.email, password: PASSWORD })).signedIn, "another account still signs in");
    },
  },
  {
    name: "the per-address sign-in rate limit is shared: five attempts over both, the sixth refused on either",
    async run(cluster) {
      const ip = freshIp();
      // Unknown accounts of this run only: the per-account limit never adds to the per-address one.
      const nobody = (i: number) => `nobody-${i}-${randomUUID().slice(0, 8)}@example.test`;
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await signIn(new Device(ip), i % 2 ? cluster.b : cluster.a, { email: nobody(i), password: "a wrong passphrase, long enough" })).status);
      assert.ok(!statuses.includes(429), `the first five are not rate-limited (${statuses.join(",")})`);
      assert.equal((await signIn(new Device(ip), cluster.a, { email: nobody(6), password: "x".repeat(20) })).status, 429);
      assert.equal((await signIn(new Device(ip), cluster.b, { email: nobody(7), password: "x".repeat(20) })).status, 429);
    },
  },
  {
    name: "a TOTP code accepted on one instance is refused on the other, also when both are sent at once",
    async run(cluster) {
      const { encrypt } = await import("../../lib/crypto/envelope");
      const ws = await seedWorkspace(cluster, { mfa: "developer" });
      const { id, email } = ws.users.mfa;
      const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
      const db = await owner(cluster);
      await db.query(`UPDATE users SET mfa_secret_enc = $2, mfa_enabled_at = now() WHERE id = $1`, [id, encrypt(secret, id)]);
      await db.end();
      const challengeOn = async (base: string) => {
        const device = new Device();
        const first = await signIn(device, base, { email, password: PASSWORD });
        assert.ok(first.challenge, `password accepted on ${base}, second factor asked (${first.error})`);
        return { device, challenge: first.challenge! };
      };
      const code = await totpCode(secret);
      const onA = await challengeOn(cluster.a);
      const onB = await challengeOn(cluster.b);
      const [a, b] = await Promise.all([signIn(onA.device, cluster.a, { challenge: onA.challenge, code }), signIn(onB.device, cluster.b, { challenge: onB.challenge, code })]);
      assert.equal([a, b].filter((o) => o.signedIn).length, 1, `exactly one of the simultaneous uses is accepted (${a.error} / ${b.error})`);
      const later = await challengeOn(cluster.b);
      assert.ok(!(await signIn(later.device, cluster.b, { challenge: later.challenge, code })).signedIn, "the used code is refused afterwards");
    },
  },
  {
    name: "spend authorizations against one agent through both instances never overshoot its cap",
    async run(cluster) {
      const ws = await seedWorkspace(cluster, { owner: "owner" });
      const { agentId, key } = await agentWithCap(cluster, ws.workspaceId, ws.users.owner.id, 10_000_000);
      const targets = [cluster.a, cluster.b, cluster.lb];
      const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => authorizeSpend(targets[i % 3], key, agentId)));
      const statuses = responses.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 201).length, 10, `ten $1 holds fit a $10 cap (${statuses.join(",")})`);
      assert.deepEqual(
        statuses.filter((s) => s !== 201 && s !== 402),
        [],
      );
      const db = await owner(cluster);
      try {
        const { rows } = await db.query<{ held: string }>(`SELECT coalesce(sum(held_micros), 0)::text AS held FROM spend_holds WHERE agent_id = $1`, [agentId]);
        assert.equal(rows[0].held, "10000000");
      } finally {
        await db.end();
      }
    },
  },
];

/** Runs the checks in order; prints each outcome; returns the number of failures. */
export async function runChecks(label: string, checks: Check[], cluster: Cluster): Promise<number> {
  let failed = 0;
  // CLUSTER_GREP narrows a run to the checks whose names match (while working on one).
  const only = process.env.CLUSTER_GREP ? new RegExp(process.env.CLUSTER_GREP, "i") : null;
  for (const check of checks) {
    if (only && !only.test(check.name)) continue;
    const started = Date.now();
    try {
      await check.run(cluster);
      console.log(`  ✓ [${label}] ${check.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`  ✗ [${label}] ${check.name}\n      ${(error as Error).stack?.split("\n").slice(0, 4).join("\n      ")}`);
    }
  }
  return failed;
}
