import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createHmac, createPublicKey, randomUUID, verify } from "node:crypto";
import type pg from "pg";
import { appClient, appendAuditEvents, context, ownerClient, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { recordAuditEvent, recordAuditEvents, type AuditEventInput } from "../../lib/audit/record-audit-event";
import { computeLegacyEventHash, type ChainedEvent } from "../../lib/audit/audit-chain";
import { configuredAuditKeyring, deriveAuditChainKey } from "../../lib/audit/audit-chain-keys";
import { verifyAuditChain } from "../../lib/audit/verify-audit-chain";
import { getAuditHead, headMessage } from "../../lib/audit/get-audit-head";
import { runChainVerification } from "../../lib/audit/run-chain-verification";
import { isAppError } from "../../lib/errors";

// The audit log's trust, attacked the ways the review did: with the app role's
// credential (direct inserts, a backdated time, a TEMP table shadowing the log, a
// write for another workspace than the transaction's) and with the owner's
// (deleting the newest events, editing one and re-hashing the rest).

let owner: pg.Client;
let ws: SeededWorkspace;

const event = (over: Partial<AuditEventInput> = {}): Omit<AuditEventInput, "workspaceId"> => ({
  actor: { type: "user", id: ws.ownerId, label: ws.ownerEmail },
  action: "member.role_changed",
  target: { type: "user", id: ws.ownerId },
  metadata: { to: "admin" },
  context: context(),
  ...over,
});

const write = (workspaceId: string, over: Partial<AuditEventInput> = {}) => withWorkspace(workspaceId, (tx) => recordAuditEvent(tx, { ...event(over), workspaceId }));

/** As someone holding the owner's credentials: triggers off for one transaction. */
async function tamper(statements: [string, unknown[]][]) {
  await owner.query("BEGIN");
  await owner.query("SET LOCAL session_replication_role = replica");
  for (const [sql, params] of statements) await owner.query(sql, params);
  await owner.query("COMMIT");
}

type Row = ChainedEvent & { hash: string };
const rowsOf = async (workspaceId: string) =>
  (
    await owner.query<Row>(
      `SELECT seq::text AS seq, prev_hash AS "prevHash", hash, id::text AS id, workspace_id::text AS "workspaceId", occurred_at AS "occurredAt",
              actor_type AS "actorType", actor_id::text AS "actorId", actor_label AS "actorLabel", action, target_type AS "targetType",
              target_id AS "targetId", ip, user_agent AS "userAgent", request_id AS "requestId", client_request_id AS "clientRequestId",
              metadata::text AS "metadataText"
         FROM audit_events WHERE workspace_id = $1 ORDER BY seq`,
      [workspaceId],
    )
  ).rows.map((r) => ({ ...r, seq: BigInt(r.seq) }));

/** Runs work as the app role in one transaction whose tenant setting is workspaceId. */
async function asAppRole<T>(workspaceId: string, work: (app: pg.Client) => Promise<T>): Promise<T> {
  const app = await appClient();
  try {
    await app.query("BEGIN");
    await app.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
    const result = await work(app);
    await app.query("COMMIT");
    return result;
  } catch (error) {
    await app.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await app.end();
  }
}

beforeAll(async () => {
  owner = await ownerClient();
  ws = await seedWorkspace(owner, "trust");
});
afterAll(() => owner.end());

describe("audit writes go through one function, with the server's time, for the transaction's workspace (finding 10)", () => {
  it("the app role cannot INSERT into audit_events directly", async () => {
    await expect(
      asAppRole(ws.workspaceId, (app) =>
        app.query(`INSERT INTO audit_events (workspace_id, actor_type, action, seq, prev_hash, hash, key_id) VALUES ($1, 'system', 'workspace.created', 999, 'x', 'y', 'z')`, [ws.workspaceId]),
      ),
    ).rejects.toThrow(/permission denied/);
  });

  it("a time the app role supplies is ignored: the event gets the server's", async () => {
    const before = Date.now();
    await asAppRole(ws.workspaceId, (app) => recordAuditEvents(app, [{ ...event({ occurredAt: new Date("2001-01-01T00:00:00Z") }), workspaceId: ws.workspaceId }]));
    const rows = await rowsOf(ws.workspaceId);
    const last = rows[rows.length - 1];
    expect(last.occurredAt.getTime()).toBeGreaterThanOrEqual(before - 2000);
    expect(await verifyAuditChain({ workspaceId: ws.workspaceId })).toMatchObject({ status: "verified" });
  });

  it("the table's owner may backdate (the demo seed and the benchmark), and the chain still verifies", async () => {
    const seeded = await seedWorkspace(owner, "trust-backdate");
    await appendAuditEvents(owner, seeded.workspaceId, [event({ occurredAt: new Date("2026-01-02T03:04:05.678Z") })]);
    const rows = await rowsOf(seeded.workspaceId);
    expect(rows[1].occurredAt.toISOString()).toBe("2026-01-02T03:04:05.678Z");
    expect(await verifyAuditChain({ workspaceId: seeded.workspaceId })).toMatchObject({ status: "verified", count: 2 });
  });

  it("refuses an event for another workspace than the one the transaction declared", async () => {
    const other = await seedWorkspace(owner, "trust-other");
    await expect(asAppRole(ws.workspaceId, (app) => recordAuditEvents(app, [{ ...event(), workspaceId: other.workspaceId }]))).rejects.toThrow(/workspace of the transaction/);
    expect(await rowsOf(other.workspaceId)).toHaveLength(1);
  });

  it("a TEMP table named audit_events does not capture the chain: the writer still extends public.audit_events", async () => {
    const target = await seedWorkspace(owner, "trust-temp");
    const appRole = decodeURIComponent(new URL(inject("appUrl")).username);
    const database = (await owner.query<{ d: string }>("SELECT current_database() AS d")).rows[0].d;
    const hadTemp = (await owner.query<{ t: boolean }>("SELECT has_database_privilege($1, current_database(), 'TEMPORARY') AS t", [appRole])).rows[0].t;
    // Start-up revokes TEMP from the app role; grant it back for this one attack.
    if (!hadTemp) await owner.query(`GRANT TEMPORARY ON DATABASE ${owner.escapeIdentifier(database)} TO ${owner.escapeIdentifier(appRole)}`);
    try {
      await asAppRole(target.workspaceId, async (app) => {
        await app.query(`CREATE TEMP TABLE audit_events (workspace_id uuid, seq bigint, hash text, id uuid, occurred_at timestamptz)`);
        await app.query(`INSERT INTO audit_events (workspace_id, seq, hash) VALUES ($1, 41, $2)`, [target.workspaceId, "f".repeat(64)]);
        await recordAuditEvents(app, [{ ...event(), workspaceId: target.workspaceId }]);
      });
    } finally {
      if (!hadTemp) await owner.query(`REVOKE TEMPORARY ON DATABASE ${owner.escapeIdentifier(database)} FROM ${owner.escapeIdentifier(appRole)}`);
    }
    const rows = await rowsOf(target.workspaceId);
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2]);
    expect(rows[1].prevHash).toBe(rows[0].hash);
    expect(await verifyAuditChain({ workspaceId: target.workspaceId })).toMatchObject({ status: "verified", count: 2 });
  });

  it("every audit function pins search_path, except the export formatters kept inlinable; the app role may run only the writers", async () => {
    const { rows } = await owner.query<{ name: string; config: string[] | null; prosecdef: boolean; app: boolean }>(
      `SELECT p.proname AS name, p.proconfig AS config, p.prosecdef, has_function_privilege($1, p.oid, 'EXECUTE') AS app
         FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND (p.proname LIKE 'audit\\_%' OR p.proname LIKE 'account\\_event%')`,
      [decodeURIComponent(new URL(inject("appUrl")).username)],
    );
    const inlined = ["audit_csv_cell", "audit_csv_text", "audit_utc", "audit_event_csv", "audit_event_json"];
    for (const fn of rows) {
      if (inlined.includes(fn.name)) expect(fn.config, fn.name).toBeNull();
      else expect(fn.config, fn.name).toEqual(["search_path=pg_catalog, public"]);
    }
    const definers = rows
      .filter((r) => r.prosecdef)
      .map((r) => r.name)
      .sort();
    // audit_apply_retention: the one way events leave the log (retention, 20261127010000).
    expect(definers).toEqual(["account_event_append", "audit_apply_retention", "audit_event_append", "audit_event_begin"]);
    // Beside the writers, the app runs only the predicates of the append-only triggers' WHEN clauses
    // (20261127020000: evaluated as whoever runs the statement; they open nothing to the app role itself).
    const predicates = ["account_events_erasure_permitted", "audit_rewrite_permitted"];
    expect(
      rows
        .filter((r) => r.app && !inlined.includes(r.name))
        .map((r) => r.name)
        .sort(),
    ).toEqual([...definers, ...predicates].sort());
  });
});

describe("the chain is keyed and its head can be held outside the database (finding 11)", () => {
  it("deleting the newest events still verifies alone, but an expected head and the signed head reveal the truncation", async () => {
    const victim = await seedWorkspace(owner, "trust-truncate");
    for (let i = 0; i < 11; i++) await write(victim.workspaceId, { metadata: { i } });
    const head = await withWorkspace(victim.workspaceId, (tx) => getAuditHead(tx, victim.workspaceId));
    expect(head.seq).toBe("12");
    // An auditor checks the signature with the published key, no secret needed.
    const signed = verify(null, Buffer.from(headMessage(head)), createPublicKey(head.public_key), Buffer.from(head.signature, "base64"));
    expect(signed).toBe(true);

    await tamper([[`DELETE FROM audit_events WHERE workspace_id = $1 AND seq > 10`, [victim.workspaceId]]]);
    expect(await verifyAuditChain({ workspaceId: victim.workspaceId })).toMatchObject({ status: "verified", count: 10 });
    expect(await verifyAuditChain({ workspaceId: victim.workspaceId, expectHead: { seq: BigInt(head.seq), hash: head.hash } })).toEqual({
      status: "truncated",
      count: 10,
      expected: { seq: "12", hash: head.hash },
      found: null,
      headSeq: "10",
    });
  });

  it("editing one event and re-hashing the rest with plain SHA-256 fails verification", async () => {
    const victim = await seedWorkspace(owner, "trust-rehash");
    for (let i = 0; i < 4; i++) await write(victim.workspaceId, { metadata: { i } });
    const rows = await rowsOf(victim.workspaceId);
    rows[2].actorLabel = "someone else";
    const statements: [string, unknown[]][] = [];
    let previous = rows[1].hash;
    for (const row of rows.slice(2)) {
      const hash = computeLegacyEventHash({ ...row, prevHash: previous });
      statements.push([`UPDATE audit_events SET actor_label = $2, prev_hash = $3, hash = $4 WHERE id = $1`, [row.id, row.actorLabel, previous, hash]]);
      previous = hash;
    }
    await tamper(statements);
    expect(await verifyAuditChain({ workspaceId: victim.workspaceId })).toMatchObject({ status: "broken", seq: "3", reason: "hash_mismatch" });
    // Claiming the rows were never keyed does not help either.
    await tamper([[`UPDATE audit_events SET key_id = NULL WHERE workspace_id = $1 AND seq >= 3`, [victim.workspaceId]]]);
    expect(await verifyAuditChain({ workspaceId: victim.workspaceId })).toMatchObject({ status: "broken", seq: "3", reason: "unkeyed" });
  });

  it("editing one event and re-hashing the rest with any other key, under the real key's id, fails verification", async () => {
    const victim = await seedWorkspace(owner, "trust-otherkey");
    for (let i = 0; i < 3; i++) await write(victim.workspaceId, { metadata: { i } });
    const real = configuredAuditKeyring().current;
    const forged = { ...deriveAuditChainKey(Buffer.alloc(32, 9).toString("base64")), id: real.id };
    const rows = await rowsOf(victim.workspaceId);
    const { computeEventHash } = await import("../../lib/audit/audit-chain");
    rows[1].metadataText = '{"i": 99}';
    const statements: [string, unknown[]][] = [];
    let previous = rows[0].hash;
    for (const row of rows.slice(1)) {
      const hash = computeEventHash({ ...row, prevHash: previous }, forged);
      statements.push([`UPDATE audit_events SET metadata = $2::jsonb, prev_hash = $3, hash = $4 WHERE id = $1`, [row.id, row.metadataText, previous, hash]]);
      previous = hash;
    }
    await tamper(statements);
    expect(await verifyAuditChain({ workspaceId: victim.workspaceId })).toMatchObject({ status: "broken", seq: "2", reason: "hash_mismatch" });
    expect(createHmac("sha256", real.hmacKey).digest("hex")).not.toBe(createHmac("sha256", forged.hmacKey).digest("hex"));
  });

  it("the server signs no head whose own hash does not verify", async () => {
    const victim = await seedWorkspace(owner, "trust-forged-head");
    await write(victim.workspaceId);
    await tamper([[`UPDATE audit_events SET actor_label = 'forged' WHERE workspace_id = $1 AND seq = 2`, [victim.workspaceId]]]);
    await expect(withWorkspace(victim.workspaceId, (tx) => getAuditHead(tx, victim.workspaceId))).rejects.toThrow(/does not verify/);
  });

  it("every audit.chain_verified event records the head it verified", async () => {
    const checked = await seedWorkspace(owner, "trust-verified");
    await write(checked.workspaceId);
    const result = await runChainVerification({ workspaceId: checked.workspaceId, actor: { type: "system", label: "test" }, context: context(), authorize: async () => {} });
    const rows = await rowsOf(checked.workspaceId);
    expect(result).toMatchObject({ status: "verified", count: 2, headSeq: "2", headHash: rows[1].hash });
    expect(rows[2].action).toBe("audit.chain_verified");
    expect(JSON.parse(rows[2].metadataText)).toMatchObject({ result: "verified", count: 2, headSeq: "2", headHash: rows[1].hash });
  });
});

describe("request ids (finding 15, storage)", () => {
  it("keeps the server's request id in request_id and the client's only in client_request_id, both under the hash", async () => {
    const target = await seedWorkspace(owner, "trust-reqid");
    const server = `srv-${randomUUID()}`;
    await write(target.workspaceId, { context: { ip: "203.0.113.7", userAgent: "vitest", requestId: server, clientRequestId: "client-chosen" } });
    const { rows } = await owner.query(`SELECT request_id, client_request_id FROM audit_events WHERE workspace_id = $1 AND seq = 2`, [target.workspaceId]);
    expect(rows[0]).toEqual({ request_id: server, client_request_id: "client-chosen" });
    await tamper([[`UPDATE audit_events SET client_request_id = 'other' WHERE workspace_id = $1 AND seq = 2`, [target.workspaceId]]]);
    expect(await verifyAuditChain({ workspaceId: target.workspaceId })).toMatchObject({ status: "broken", seq: "2", reason: "hash_mismatch" });
  });
});

describe("Verify integrity runs outside a long transaction, one run per workspace (finding 18)", () => {
  it("a second run started while one is running is refused as rate limited, and the pool keeps serving", async () => {
    const busy = await seedWorkspace(owner, "trust-busy");
    await appendAuditEvents(
      owner,
      busy.workspaceId,
      Array.from({ length: 300 }, (_, i) => event({ metadata: { i } })),
    );
    const run = () => runChainVerification({ workspaceId: busy.workspaceId, actor: { type: "system", label: "test" }, context: context(), authorize: async () => {} });
    const results = await Promise.allSettled([run(), run(), run()]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(2);
    for (const error of refused) expect(isAppError(error) && error.code === "rate_limited" && /already running/.test(error.message)).toBe(true);
    // Over: the next run is admitted.
    expect(await run()).toMatchObject({ status: "verified" });
  });
});
