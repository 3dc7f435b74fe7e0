import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { NextRequest } from "next/server";
import { signInAs } from "../support/request-stub";
import { appendAuditEvents, ownerClient, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import type { AuditEventInput } from "../../lib/audit/record-audit-event";
import type { AuditFilters } from "../../lib/audit/schemas";

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);

const { GET } = await import("../../app/w/[workspace]/audit/export/route");
const { streamAuditExport } = await import("../../lib/audit/stream-audit-export");
const { withWorkspace, copyFromWorkspace } = await import("../../lib/db/with-workspace");
const { log } = await import("../../lib/log");

// The export streams one COPY of the lines the database formats. These tests hold
// its bytes to what the export wrote before it (the same lines, joined newest
// first), and its failures to what they were: an error before the first byte, a
// download broken off (never ended as if complete) after it.

let owner: pg.Client;
let ws: SeededWorkspace;
const CSV_HEADER = "seq,occurred_at,actor_type,actor_id,actor_label,action,target_type,target_id,ip,user_agent,request_id,client_request_id,metadata,hash,key_id\r\n";

// Values that need quoting, doubling, escaping or neutralising in one format or the other.
const TRICKY = [
  'He said "hi", then left',
  "=1+2",
  "+1",
  "-1",
  "@SUM(A1)",
  "\tTab first",
  "\rCR first",
  "a\r\nb",
  "line\nbreak",
  "cr\ronly",
  "back\\slash \\N \\. \\\\",
  "\\.",
  "Zoë 🔐 日本語 e\u0301 \u2028 \u00a0",
  "\u0001\u0002\u001f\u007f",
  "",
  ",",
  '"',
  "'",
  "a\tb",
];

const read = async (stream: ReadableStream<Uint8Array>) => {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
};
const download = (slug: string, query: string) => GET(new NextRequest(`http://warden.test/w/${slug}/audit/export${query}`), { params: Promise.resolve({ workspace: slug }) });
// The export's COPY in this test database; `blocked`: waiting for its reader, which is this test's when it stops reading.
const copyBackends = async (blocked = false) =>
  (
    await owner.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY (SELECT % FROM public.audit_events e %' AND ($1::boolean IS FALSE OR wait_event = 'ClientWrite')`,
      [blocked],
    )
  ).rows;

beforeAll(async () => {
  owner = await ownerClient();
  ws = await seedWorkspace(owner, "export-copy");
  const events: Omit<AuditEventInput, "workspaceId">[] = [];
  for (let i = 0; i < 3000; i++) {
    const v = (k: number) => TRICKY[(i + k) % TRICKY.length];
    events.push({
      actor: i % 4 === 0 ? { type: "system", label: v(0) } : { type: "user", id: ws.ownerId, label: v(0) },
      action: i % 3 === 0 ? "member.removed" : "member.role_changed",
      target: i % 5 === 0 ? undefined : { type: "user", id: v(1) },
      metadata: { note: v(2), nested: { list: [v(3), i, 1.5, null, true] }, [v(4)]: v(5), password: "hunter2" },
      // Long values: lines cut across the chunks a COPY arrives in, and more than the
      // sockets hold (about 30 MB), so a reader that stops holds the COPY up.
      context: { ip: v(6), userAgent: i % 10 === 7 && i % 3 !== 0 ? `${v(7)}${"x".repeat(100_000)}` : v(7), requestId: v(8), clientRequestId: i % 2 ? v(9) : null },
    });
  }
  for (let at = 0; at < events.length; at += 500) await appendAuditEvents(owner, ws.workspaceId, events.slice(at, at + 500));
});
afterAll(() => owner.end());

/**
 * What the export before COPY wrote: the header (CSV), then each matching row's
 * audit_event_csv / audit_event_json line, newest first. It read the same lines in
 * ranges, as the app under the tenant setting; this reads them in one statement.
 */
async function previousExport(format: "csv" | "jsonl", filters: AuditFilters): Promise<Buffer> {
  const { auditWhere } = await import("../../lib/audit/audit-where");
  const where = auditWhere(ws.workspaceId, filters);
  const lines = await withWorkspace(ws.workspaceId, async (tx) => {
    const seqs = (await tx.auditEvent.findMany({ where, select: { seq: true } })).map((m) => m.seq.toString()).join(",");
    const formatted = format === "csv" ? "audit_event_csv(e)" : "audit_event_json(e)";
    const rows = await tx.$queryRawUnsafe<{ text: string | null }[]>(
      `SELECT string_agg(${formatted}, '' ORDER BY e.seq DESC) AS text FROM audit_events e WHERE e.workspace_id = $1::uuid AND e.seq = ANY(string_to_array($2, ',')::bigint[])`,
      ws.workspaceId,
      seqs,
    );
    return rows[0].text ?? "";
  });
  return Buffer.from((format === "csv" ? CSV_HEADER : "") + lines);
}

describe("the COPY export", () => {
  it("is byte for byte what the previous export wrote, for values that need quoting, escaping and neutralising", async () => {
    const filterSets: AuditFilters[] = [
      {},
      { action: ["member.removed"] },
      { action: ["member.removed", "member.role_changed"], actor: `user:${ws.ownerId.toUpperCase()}` },
      { target_type: "user", target_id: 'He said "hi", then left' },
      { target_type: "user", target_id: "back\\slash \\N \\. \\\\" },
      { range: "24h" },
      { from: "2000-01-01T00:00:00Z", to: "2999-01-01T00:00:00Z" },
      { to: "2000-01-01T00:00:00Z" },
    ];
    for (const filters of filterSets) {
      for (const format of ["csv", "jsonl"] as const) {
        const expected = await previousExport(format, filters);
        const actual = await read(await streamAuditExport({ workspaceId: ws.workspaceId, filters, format }));
        const label = `${format} ${JSON.stringify(filters)}`;
        if (!actual.equals(expected)) {
          let at = 0;
          while (at < Math.min(actual.length, expected.length) && actual[at] === expected[at]) at++;
          expect(actual.subarray(at, at + 80).toString("latin1"), `${label}: first difference at byte ${at}`).toBe(expected.subarray(at, at + 80).toString("latin1"));
        }
        expect(actual.equals(expected), label).toBe(true);
      }
    }
    // The data set is what it claims: every tricky value, the long lines, and metadata redacted as it was written.
    const all = (await previousExport("jsonl", {})).toString("utf8");
    expect(all.length).toBeGreaterThan(600_000);
    expect(all).toContain('"password": "[redacted]"');
    expect(all).not.toContain("hunter2");
    const csv = (await previousExport("csv", {})).toString("utf8");
    for (const value of TRICKY.filter((t) => !/^[=+\-@\t\r]/.test(t))) expect(csv).toContain(`"${value.replaceAll('"', '""')}"`);
    expect(csv).toContain(`"'=1+2"`);
  }, 180_000);

  it("runs under the workspace's forced RLS: a statement with no workspace condition still sees only the workspace's rows", async () => {
    const other = await seedWorkspace(owner, "export-copy-other");
    const { text } = await import("node:stream/consumers");
    const rows = await copyFromWorkspace(other.workspaceId, { sql: `COPY (SELECT workspace_id FROM audit_events) TO STDOUT (FORMAT csv)`, settings: [] });
    const ids = (await text(rows)).trimEnd().split("\n");
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids)).toEqual(new Set([other.workspaceId]));
  });

  it("a failure after the first byte breaks the download off with an error, is logged with its reference, and leaves the next export working", async () => {
    await signInAs(owner, ws.ownerId);
    const logged = vi.spyOn(log, "error");
    const response = await download(ws.slug, "?format=csv");
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString("utf8")).toMatch(/^seq,occurred_at,/);
    // The database connection is lost mid-way (the backend is ended, as a failover or a restart would).
    await expect.poll(() => copyBackends(true), { timeout: 10_000 }).toHaveLength(1);
    const backends = await copyBackends(true);
    await owner.query("SELECT pg_terminate_backend($1)", [backends[0].pid]);
    let received = first.value!.byteLength;
    const failure = await (async () => {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return null;
        received += chunk.value.byteLength;
      }
    })().catch((error: unknown) => error);
    expect(failure, "the download must not end as if complete").toBeInstanceOf(Error);
    expect(received).toBeLessThan((await previousExport("csv", {})).length);
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: failure }), "audit export failed after its first byte");
    logged.mockRestore();
    // The export was recorded before its first byte, and the broken connection did not go back to the pool.
    const { rows } = await owner.query(`SELECT metadata FROM audit_events WHERE workspace_id = $1 AND action = 'audit.exported' ORDER BY seq DESC LIMIT 1`, [ws.workspaceId]);
    expect(rows[0].metadata).toMatchObject({ format: "csv" });
    for (let i = 0; i < 5; i++) {
      const next = await download(ws.slug, "?format=jsonl&action=member.removed");
      expect(next.status).toBe(200);
      expect((await next.text()).trimEnd().split("\n")).toHaveLength(1000);
    }
  }, 60_000);

  it("a download abandoned mid-way ends its COPY on the server", async () => {
    const stream = await streamAuditExport({ workspaceId: ws.workspaceId, filters: {}, format: "jsonl" });
    const reader = stream.getReader();
    await reader.read();
    await expect.poll(() => copyBackends(true), { timeout: 10_000 }).toHaveLength(1);
    await reader.cancel();
    await expect.poll(copyBackends, { timeout: 5_000 }).toHaveLength(0);
  });

  it("with every COPY connection held by a download, one more is told the exports are busy (503) before any byte, and runs once one ends", async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => streamAuditExport({ workspaceId: ws.workspaceId, filters: {}, format: "csv" })));
    const readers = held.map((stream) => stream.getReader());
    await Promise.all(readers.map((reader) => reader.read()));
    const busy = await streamAuditExport({ workspaceId: ws.workspaceId, filters: {}, format: "jsonl" }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(busy).toMatchObject({ code: "unavailable", reason: "exports_busy" });
    await readers[0].cancel();
    const lines = (await read(await streamAuditExport({ workspaceId: ws.workspaceId, filters: { action: ["member.removed"] }, format: "jsonl" }))).toString("utf8");
    expect(lines.trimEnd().split("\n")).toHaveLength(1000);
    await Promise.all(readers.slice(1).map((reader) => reader.cancel()));
    await expect.poll(copyBackends, { timeout: 5_000 }).toHaveLength(0);
  }, 60_000);

  it("a COPY that fails at its start rejects before the stream is handed back, and gives its connection up", async () => {
    // Past the schema (as a future filter bug would be): PostgreSQL refuses the value when the COPY starts.
    await expect(streamAuditExport({ workspaceId: ws.workspaceId, filters: { actor: "user:not-a-uuid" }, format: "csv" })).rejects.toThrow(/uuid/);
    await expect.poll(copyBackends, { timeout: 5_000 }).toHaveLength(0);
    // The pool (four connections) is not left short: more exports than it holds still run, one after another.
    for (let i = 0; i < 6; i++) {
      await expect(streamAuditExport({ workspaceId: ws.workspaceId, filters: { actor: "user:not-a-uuid" }, format: "jsonl" })).rejects.toThrow(/uuid/);
    }
    const lines = (await read(await streamAuditExport({ workspaceId: ws.workspaceId, filters: { action: ["member.removed"] }, format: "jsonl" }))).toString("utf8");
    expect(lines.trimEnd().split("\n")).toHaveLength(1000);
  });
});
