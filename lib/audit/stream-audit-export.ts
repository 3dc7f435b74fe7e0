import { Readable, pipeline } from "node:stream";
import { copyFromWorkspace } from "../db/with-workspace";
import { CopyCsvCrlf } from "../db/copy-csv-crlf";
import { auditWhere } from "./audit-where";
import { auditWhereSql } from "./audit-where-sql";
import { AUDIT_JSON_COLUMNS, AuditJsonLines } from "./audit-json-lines";
import type { AuditFilters } from "./schemas";

export type ExportFormat = "csv" | "jsonl";

// The columns of audit_event_csv (last defined in 20261123070000_audit_export_columns),
// each as the cell COPY's CSV writer gets it: `true` where the cell is quoted (a
// non-null value always, NULL as nothing) with a formula-like start neutralised.
const CSV_COLUMNS: [name: string, expression: string, quoted: boolean][] = [
  ["seq", "e.seq", false],
  ["occurred_at", "public.audit_utc(e.occurred_at)", false],
  ["actor_type", "e.actor_type", false],
  ["actor_id", "e.actor_id", false],
  ["actor_label", "e.actor_label", true],
  ["action", "e.action", false],
  ["target_type", "e.target_type", true],
  ["target_id", "e.target_id", true],
  ["ip", "e.ip", true],
  ["user_agent", "e.user_agent", true],
  ["request_id", "e.request_id", true],
  ["client_request_id", "e.client_request_id", true],
  ["metadata", "e.metadata::text", true],
  ["hash", "e.hash", false],
  ["key_id", "e.key_id", true],
];
const CSV_HEADER = `${CSV_COLUMNS.map(([name]) => name).join(",")}\r\n`;
const CSV_SELECT = CSV_COLUMNS.map(([name, expression, quoted]) => `${quoted ? `public.audit_csv_text(${expression})` : expression} AS ${name}`).join(", ");
const CSV_OPTIONS = `FORMAT csv, FORCE_QUOTE (${CSV_COLUMNS.filter(([, , quoted]) => quoted)
  .map(([name]) => name)
  .join(", ")})`;

/**
 * The filtered log as a byte stream, newest first: one COPY of the rows the one
 * filter definition (auditWhere) selects, in one transaction under the workspace's
 * tenant setting (copyFromWorkspace). CSV comes from COPY's own CSV writer, one
 * column per cell (CopyCsvCrlf only turns its LF row ends into CR LF); JSON Lines
 * are written by the server from a binary COPY of the columns (AuditJsonLines), as
 * audit_event_json would write them. Either way no row becomes a JavaScript object,
 * and the download's backpressure reaches the database: memory
 * stays flat at any size. The statement's snapshot is the export's, so the log is
 * exported as it stood when the COPY began, before the export's own event.
 * The promise resolves once the COPY has sent its first bytes, so a query that
 * cannot run rejects it rather than the stream.
 */
export async function streamAuditExport(options: { workspaceId: string; filters: AuditFilters; format: ExportFormat; now?: Date }): Promise<ReadableStream<Uint8Array>> {
  const { condition, settings } = auditWhereSql(auditWhere(options.workspaceId, options.filters, options.now));
  const from = `FROM public.audit_events e WHERE ${condition} ORDER BY e.seq DESC`;
  const csv = options.format === "csv";
  const rows = await copyFromWorkspace(options.workspaceId, {
    sql: csv ? `COPY (SELECT ${CSV_SELECT} ${from}) TO STDOUT (${CSV_OPTIONS})` : `COPY (SELECT ${AUDIT_JSON_COLUMNS} ${from}) TO STDOUT (FORMAT binary)`,
    settings,
  });
  const text = csv ? new CopyCsvCrlf(Buffer.from(CSV_HEADER)) : new AuditJsonLines();
  // A failure on either side destroys both: the reader sees the error, and a reader
  // that cancels closes the COPY's connection. The reader hears the outcome; nothing more to do here.
  pipeline(rows, text, () => {});
  return Readable.toWeb(text) as ReadableStream<Uint8Array>;
}
