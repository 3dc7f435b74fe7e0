import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { appendAuditEvents, ownerClient, seedMember, seedWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { auditEventSchema } from "../../lib/audit/schemas";
import { toAuditEventView } from "../../lib/audit/to-audit-event-view";
import { parseCsv } from "../support/csv";
import { configuredAuditKeyring } from "../../lib/audit/audit-chain-keys";
import { generateApiKey } from "../../lib/api-keys/api-key-token";

// Exports are formatted by SQL functions from the chain migration; these tests
// hold them to the spreadsheet-safety rule and to the API's event shape.

let owner: pg.Client;
const none = { ip: null, userAgent: null, requestId: null };
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const cell = async (value: string | null) => (await owner.query<{ cell: string }>("SELECT audit_csv_cell($1) AS cell", [value])).rows[0].cell;

describe("audit_csv_cell", () => {
  it("neutralises cells a spreadsheet would run as formulas", async () => {
    expect(await cell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(await cell("+1+1")).toBe(`"'+1+1"`);
    expect(await cell("-2+3")).toBe(`"'-2+3"`);
    expect(await cell("@SUM(A1)")).toBe(`"'@SUM(A1)"`);
    expect(await cell("\tcmd")).toBe(`"'\tcmd"`);
    expect(await cell("\rcmd")).toBe(`"'\rcmd"`);
  });

  it("quotes every text cell, doubling quotes inside, and keeps NULL apart from empty", async () => {
    expect(await cell("a,b")).toBe('"a,b"');
    expect(await cell('say "hi"')).toBe('"say ""hi"""');
    expect(await cell("two\nlines")).toBe('"two\nlines"');
    expect(await cell("a-b")).toBe('"a-b"');
    expect(await cell("")).toBe('""');
    expect(await cell(null)).toBe("");
  });
});

describe("audit_event_csv", () => {
  it("writes all 15 columns whatever is missing, and reads back to the stored values", async () => {
    const ws = await seedWorkspace(owner, "csv-columns");
    await appendAuditEvents(owner, ws.workspaceId, [{ actor: { type: "system", label: null as unknown as string }, action: "workspace.created", metadata: { a: "x,y" }, context: none }]);
    const { rows } = await owner.query<{ line: string; hash: string }>(
      `SELECT audit_event_csv(e) AS line, hash FROM audit_events e WHERE workspace_id = $1 AND actor_type = 'system' AND action = 'workspace.created' AND metadata ? 'a'`,
      [ws.workspaceId],
    );
    const [cells] = parseCsv(rows[0].line);
    expect(cells).toHaveLength(15);
    expect(cells.slice(2, 6)).toEqual(["system", "", "", "workspace.created"]);
    expect(cells[11]).toBe("");
    expect(JSON.parse(cells[12])).toEqual({ a: "x,y" });
    expect(cells[13]).toBe(rows[0].hash);
    expect(cells[14]).toBe(configuredAuditKeyring().current.id);
  });
});

describe("audit_event_json", () => {
  it("is exactly the event as the API shows it", async () => {
    const ws = await seedWorkspace(owner, "jsonl");
    await appendAuditEvents(owner, ws.workspaceId, [
      {
        actor: { type: "api_key", id: ws.ownerId, label: 'Zoë "bot"' },
        action: "member.role_changed",
        target: { type: "user", id: "t-1" },
        context: { ip: "2001:db8::1", userAgent: "curl/8", requestId: "req-1", clientRequestId: "client-1" },
        metadata: { n: 1.5, nested: { a: [1, "x"] }, emoji: "🔐" },
      },
      { actor: { type: "system", label: null as unknown as string }, action: "workspace.created", context: none },
    ]);
    const { rows } = await owner.query<{ id: string; line: string }>(`SELECT e.id, audit_event_json(e) AS line FROM audit_events e WHERE workspace_id = $1 ORDER BY seq`, [ws.workspaceId]);
    const events = await withWorkspace(ws.workspaceId, (tx) => tx.auditEvent.findMany({ where: { workspaceId: ws.workspaceId }, orderBy: { seq: "asc" } }));
    expect(rows).toHaveLength(3);
    for (const [i, row] of rows.entries()) {
      expect(row.line.endsWith("\n")).toBe(true);
      const parsed = JSON.parse(row.line);
      expect(auditEventSchema.parse(parsed)).toEqual(parsed);
      expect(parsed).toEqual(toAuditEventView(events[i]));
    }
  });
});

const read = async (stream: ReadableStream<Uint8Array>) => {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
};

describe("the client's request id and the hash's key", () => {
  it("appear in the CSV, the JSON Lines and the API's event alike, apart from the server's request id", async () => {
    const { streamAuditExport } = await import("../../lib/audit/stream-audit-export");
    const { GET } = await import("../../app/api/v1/audit/route");
    const ws = await seedWorkspace(owner, "client-request-id");
    // Chosen by the client, so it is neutralised in the CSV like any other text cell.
    const clientRequestId = "=client-chosen-1";
    await appendAuditEvents(owner, ws.workspaceId, [
      { actor: { type: "system", label: "test" }, action: "member.removed", context: { ip: null, userAgent: null, requestId: "server-req-1", clientRequestId } },
    ]);
    const keyId = configuredAuditKeyring().current.id;
    const filters = { action: ["member.removed" as const] };

    const [header, ...records] = parseCsv(await read(await streamAuditExport({ workspaceId: ws.workspaceId, filters, format: "csv" })));
    expect(header).toEqual([
      "seq",
      "occurred_at",
      "actor_type",
      "actor_id",
      "actor_label",
      "action",
      "target_type",
      "target_id",
      "ip",
      "user_agent",
      "request_id",
      "client_request_id",
      "metadata",
      "hash",
      "key_id",
    ]);
    expect(records).toHaveLength(1);
    const column = (name: string) => records[0][header.indexOf(name)];
    expect([column("request_id"), column("client_request_id"), column("key_id")]).toEqual(["server-req-1", `'${clientRequestId}`, keyId]);

    const jsonl = (await read(await streamAuditExport({ workspaceId: ws.workspaceId, filters, format: "jsonl" })))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(jsonl).toHaveLength(1);
    expect(jsonl[0]).toMatchObject({ request_id: "server-req-1", client_request_id: clientRequestId, key_id: keyId });

    const admin = await seedMember(owner, ws.workspaceId, "admin");
    const { key, prefix, hash } = generateApiKey();
    await owner.query(`INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id) VALUES ($1, 'auditor', $2, $3, '{audit:read}', $4)`, [
      ws.workspaceId,
      prefix,
      hash,
      admin.id,
    ]);
    const response = await GET(new Request("http://warden.test/api/v1/audit?action=member.removed", { headers: { authorization: `Bearer ${key}`, "x-warden-ip": "198.51.100.77" } }));
    expect(response.status).toBe(200);
    const page = (await response.json()) as { data: unknown[] };
    expect(page.data).toEqual(jsonl);
  });
});

describe("streamAuditExport across batches", () => {
  it("exports every event exactly once, newest first, filtered or not, across batch boundaries", async () => {
    const { streamAuditExport } = await import("../../lib/audit/stream-audit-export");
    const ws = await seedWorkspace(owner, "export-batches");
    await appendAuditEvents(
      owner,
      ws.workspaceId,
      Array.from({ length: 12001 }, (_, i) => i + 1).map((g) => ({
        actor: { type: "system", label: null as unknown as string },
        action: g % 3 === 0 ? "member.removed" : "member.role_changed",
        target: { type: "user", id: `t${g}` },
        metadata: { g },
        context: none,
      })),
    );
    const expectedSeqs = async (action?: string) =>
      (
        await owner.query<{ seq: string }>(`SELECT seq::text FROM audit_events WHERE workspace_id = $1 AND ($2::text IS NULL OR action = $2) ORDER BY audit_events.seq DESC`, [
          ws.workspaceId,
          action ?? null,
        ])
      ).rows.map((r) => r.seq);

    const csv = await read(await streamAuditExport({ workspaceId: ws.workspaceId, filters: {}, format: "csv" }));
    const csvSeqs = csv
      .split("\r\n")
      .slice(1, -1)
      .map((line) => line.split(",")[0]);
    expect(csvSeqs).toEqual(await expectedSeqs());

    const jsonl = await read(await streamAuditExport({ workspaceId: ws.workspaceId, filters: { action: ["member.role_changed"] }, format: "jsonl" }));
    const events = jsonl
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { seq: string; action: string });
    expect(events.map((e) => e.seq)).toEqual(await expectedSeqs("member.role_changed"));
    expect(events.length).toBeGreaterThan(5000);
  });
});
