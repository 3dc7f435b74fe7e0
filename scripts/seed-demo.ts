// `npm run seed:demo`: two workspaces with members in every role and a month of
// audit history, for trying Warden out. Refuses any database with real users.
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import pg from "pg";
import { prepareDatabase } from "../lib/db/prepare-database";
import { hashPassword } from "../lib/auth/password";
import { ROLES } from "../lib/authz/capabilities";
import { deriveAuditChainKey, type AuditChainKey } from "../lib/audit/audit-chain-keys";
import type { AuditAction } from "../lib/audit/audit-actions";
import { recordAuditEvents } from "../lib/audit/record-audit-event";
import { loadOrCreateLocalSecrets } from "./runtime-secrets";

const DEMO_PASSWORD = "warden-demo-2026!";
const WORKSPACES = [
  { name: "Acme Agents", slug: "acme-demo", domain: "acme.demo" },
  { name: "Globex Research", slug: "globex-demo", domain: "globex.demo" },
];
// What happens in a workspace; sign-ins and other personal events belong to each account's own log.
const ACTIONS: AuditAction[] = ["member.added", "member.invited", "member.role_changed", "api_key.created", "audit.exported", "security.policy_changed"];
const EVENTS_PER_WORKSPACE = 300;
const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)];

async function main() {
  const dataDir = resolve(process.env.WARDEN_DATA_DIR ?? ".data");
  // The chain is keyed with the server's master key: the demo's events must verify on it.
  const masterKey = process.env.WARDEN_MASTER_KEY ?? (process.env.DATABASE_URL ? undefined : loadOrCreateLocalSecrets(dataDir).WARDEN_MASTER_KEY);
  // Migrates a fresh instance, but leaves the application role to `npm start`.
  const db = await prepareDatabase({
    databaseUrl: process.env.DATABASE_URL,
    appDatabaseUrl: process.env.APP_DATABASE_URL,
    dataDir,
    leaveAppRole: true,
    masterKey,
    previousMasterKeys: process.env.WARDEN_PREVIOUS_MASTER_KEYS,
  });
  const client = new pg.Client({ connectionString: db.ownerUrl });
  await client.connect();
  try {
    const real = await client.query("SELECT count(*)::int AS n FROM users WHERE NOT is_demo");
    if (real.rows[0].n > 0) throw new Error("this database has real (non-demo) users; the demo is only loaded into an empty instance");
    const existing = await client.query("SELECT count(*)::int AS n FROM users WHERE is_demo");
    if (existing.rows[0].n > 0) {
      console.log("The demo is already loaded.");
    } else {
      if (!masterKey) throw new Error("WARDEN_MASTER_KEY is not set: the demo's audit events are hashed with the server's key");
      await load(client, deriveAuditChainKey(masterKey));
    }
    console.log("\nDemo sign-in (every account shares the password):");
    for (const ws of WORKSPACES) {
      console.log(`  ${ws.name} (/w/${ws.slug})`);
      for (const role of ROLES) console.log(`    ${role.padEnd(10)} ${role}@${ws.domain}`);
    }
    console.log(`  password: ${DEMO_PASSWORD}`);
  } finally {
    await client.end();
    await db.stop();
  }
}

async function load(client: pg.Client, auditKey: AuditChainKey) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await client.query("BEGIN");
  try {
    for (const ws of WORKSPACES) {
      const workspaceId = randomUUID();
      // Writes go through RLS like the app's would, so a non-superuser owner works too.
      await client.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
      await client.query("INSERT INTO workspaces (id, name, slug) VALUES ($1, $2, $3)", [workspaceId, ws.name, ws.slug]);
      const members: { id: string; email: string; role: string }[] = [];
      for (const role of ROLES) {
        const email = `${role}@${ws.domain}`;
        const name = `${role[0].toUpperCase()}${role.slice(1)} ${ws.name.split(" ")[0]}`;
        const user = await client.query<{ id: string }>("INSERT INTO users (email, name, password_hash, is_demo) VALUES ($1, $2, $3, true) RETURNING id", [email, name, passwordHash]);
        await client.query("INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)", [workspaceId, user.rows[0].id, role]);
        members.push({ id: user.rows[0].id, email, role });
      }
      const now = Date.now();
      const owner = members.find((m) => m.role === "owner")!;
      const others = members.filter((m) => m !== owner);
      // A month at random, plus role changes by the owner 1, 3 and 5 days ago, so
      // the README's example (`action=member.role_changed&range=7d`) finds events.
      const moments = [
        ...Array.from({ length: EVENTS_PER_WORKSPACE }, () => ({ at: now - Math.random() * 30 * 24 * 3600_000, roleChange: false })),
        ...[1, 3, 5].map((days) => ({ at: now - days * 24 * 3600_000, roleChange: true })),
      ].sort((a, b) => a.at - b.at);
      // Oldest first: the log is a hash chain, and its order is the order of writing.
      // Through the one writer and its keyed chain; as the owner, the backdated times are kept.
      await recordAuditEvents(
        client,
        moments.map(({ at, roleChange }, i) => {
          const action = roleChange ? "member.role_changed" : pick(ACTIONS);
          // Member and policy changes are made by those allowed to make them.
          const managers = members.filter((m) => m.role === "owner" || m.role === "admin");
          const actor = roleChange ? owner : action.startsWith("member.") || action === "security.policy_changed" ? pick(managers) : pick(members);
          return {
            workspaceId,
            occurredAt: new Date(at),
            actor: { type: "user" as const, id: actor.id, label: actor.email },
            action,
            ...demoSubject(action, pick(others.filter((m) => m !== actor)), ws.domain, i, workspaceId),
            context: { ip: `198.51.100.${1 + (i % 200)}`, userAgent: "Mozilla/5.0 (demo)", requestId: randomUUID() },
          };
        }),
        auditKey,
      );
      console.log(`Loaded ${ws.name}: ${ROLES.length} members, ${moments.length} audit events over 30 days`);
    }
    await client.query("DELETE FROM instance_settings WHERE key = 'setup_token_hash'");
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

const KEY_NAMES = ["CI deploy", "SIEM export", "Nightly backup", "Incident bot"];

/** What an event is about, shaped as the app records it, so the demo's rows read like real ones. */
function demoSubject(action: AuditAction, member: { id: string; email: string; role: string }, domain: string, i: number, workspaceId: string) {
  switch (action) {
    case "member.role_changed": {
      const before = pick(ROLES.filter((r) => r !== member.role && r !== "owner"));
      return { target: { type: "user", id: member.id }, metadata: { demo: true, email: member.email, before: { role: before }, after: { role: member.role } } };
    }
    case "member.added":
      return { target: { type: "user", id: member.id }, metadata: { demo: true, email: member.email, after: { role: member.role } } };
    case "member.invited":
      return { target: { type: "invitation", id: randomUUID() }, metadata: { demo: true, email: `guest${i}@${domain}`, role: pick(["viewer", "developer", "editor"]) } };
    case "api_key.created":
      return { target: { type: "api_key", id: randomUUID() }, metadata: { demo: true, name: pick(KEY_NAMES), scopes: ["audit:read"] } };
    default:
      return { target: { type: "workspace", id: workspaceId }, metadata: { demo: true } };
  }
}

main().catch((error) => {
  console.error(`seed:demo refused: ${(error as Error).message}`);
  process.exit(1);
});
