import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { AuditJsonLines } from "./audit-json-lines";

// What PostgreSQL sends for COPY (SELECT <AUDIT_JSON_COLUMNS>) TO STDOUT (FORMAT binary): null is length -1.
const frame = (rows: (string | null)[][], extension = Buffer.alloc(0)) => {
  const header = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8), extension]);
  header.writeUInt32BE(extension.length, 15);
  const body = rows.map((values) => {
    const count = Buffer.alloc(2);
    count.writeInt16BE(values.length);
    return Buffer.concat([
      count,
      ...values.flatMap((v) => {
        const length = Buffer.alloc(4);
        length.writeInt32BE(v === null ? -1 : Buffer.byteLength(v));
        return v === null ? [length] : [length, Buffer.from(v)];
      }),
    ]);
  });
  return Buffer.concat([header, ...body, Buffer.from([0xff, 0xff])]);
};

const run = (chunks: Buffer[]) => text(Readable.from(chunks).pipe(new AuditJsonLines()));

const ROW = [
  "4f1c1c1e-8f5a-4c43-9a7e-3f1f0d3c2b10",
  "42",
  "2026-11-23T22:43:46.123Z",
  "user",
  "0c9e6b0e-7c4a-4c1f-9c25-3a1d2b6a1f11",
  'Zoë "bot"\\ \n\t\u0001 🔐',
  "member.role_changed",
  "user",
  "t-1",
  "198.51.100.7",
  "",
  "req_1",
  null,
  '{"to": "editor", "note": "a\\nb"}',
  null,
  "ab".repeat(32),
  "k1",
];
// json_build_object's layout, PostgreSQL's escapes (\" \\ \n \t, \u0001 in lower-case hex), jsonb as it prints.
const LINE =
  '{"id" : "4f1c1c1e-8f5a-4c43-9a7e-3f1f0d3c2b10", "seq" : "42", "occurred_at" : "2026-11-23T22:43:46.123Z", "actor" : {"type" : "user", "id" : "0c9e6b0e-7c4a-4c1f-9c25-3a1d2b6a1f11", "label" : "Zoë \\"bot\\"\\\\ \\n\\t\\u0001 🔐"}, "action" : "member.role_changed", "target" : {"type" : "user", "id" : "t-1"}, "ip" : "198.51.100.7", "user_agent" : "", "request_id" : "req_1", "client_request_id" : null, "metadata" : {"to": "editor", "note": "a\\nb"}, "prev_hash" : null, "hash" : "' +
  "ab".repeat(32) +
  '", "key_id" : "k1"}\n';

describe("AuditJsonLines", () => {
  it("writes audit_event_json's line for a row: layout, escapes, nulls, an empty string and jsonb as it is", async () => {
    expect(await run([frame([ROW])])).toBe(LINE);
  });

  it("writes a row without a target as target null, and nothing for no rows", async () => {
    const untargeted = ROW.map((v, i) => (i === 7 || i === 8 ? null : v));
    expect(await run([frame([untargeted])])).toContain('"action" : "member.role_changed", "target" : null, "ip"');
    expect(await run([frame([])])).toBe("");
  });

  it("gives the same lines however the data is cut into chunks, a long value included", async () => {
    const long = ROW.map((v, i) => (i === 5 ? "é\n".repeat(40_000) : v));
    const rows = [ROW, long, ROW];
    const whole = frame(rows, Buffer.from("ext"));
    const expected = await run([whole]);
    expect(expected.split("\n")).toHaveLength(4);
    for (const size of [1, 2, 3, 7, 64, 1000, 65_536]) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < whole.length; at += size) chunks.push(whole.subarray(at, at + size));
      expect(await run(chunks), `chunks of ${size}`).toBe(expected);
    }
  });

  it("refuses data cut before its trailer, or rows of another shape, rather than end a file quietly", async () => {
    const whole = frame([ROW, ROW]);
    await expect(run([whole.subarray(0, whole.length - 2)])).rejects.toThrow(/before its trailer/);
    await expect(run([whole.subarray(0, whole.length - 40)])).rejects.toThrow(/before its trailer/);
    await expect(run([frame([["only one"]])])).rejects.toThrow(/1 fields, expected 17/);
  });
});
