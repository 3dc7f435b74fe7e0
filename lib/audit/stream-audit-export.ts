import { Readable, pipeline } from "node:stream";
import { copyFromWorkspace } from "../db/with-workspace";
import { CopyBinaryText } from "../db/copy-binary-text";
import { auditWhere } from "./audit-where";
import { auditWhereSql } from "./audit-where-sql";
import type { AuditFilters } from "./schemas";

export type ExportFormat = "csv" | "jsonl";

// The columns of audit_event_csv (last defined in 20261123070000_audit_export_columns).
const CSV_HEADER = "seq,occurred_at,actor_type,actor_id,actor_label,action,target_type,target_id,ip,user_agent,request_id,client_request_id,metadata,hash,key_id\r\n";

/**
 * The filtered log as a byte stream, newest first: one COPY of the rows the one
 * filter definition (auditWhere) selects, each formatted by the database
 * (audit_event_csv / audit_event_json), in one transaction under the workspace's
 * tenant setting (copyFromWorkspace). The server only takes the binary COPY's
 * frames off the lines (CopyBinaryText), so it passes text through without a
 * JavaScript object per row, and the download's backpressure reaches the database:
 * memory stays flat at any size. The statement's snapshot is the export's, so the
 * log is exported as it stood when the COPY began, before the export's own event.
 * The promise resolves once the COPY has sent its first bytes, so a query that
 * cannot run rejects it rather than the stream.
 */
export async function streamAuditExport(options: { workspaceId: string; filters: AuditFilters; format: ExportFormat; now?: Date }): Promise<ReadableStream<Uint8Array>> {
  const { condition, settings } = auditWhereSql(auditWhere(options.workspaceId, options.filters, options.now));
  const line = options.format === "csv" ? "public.audit_event_csv(e)" : "public.audit_event_json(e)";
  const rows = await copyFromWorkspace(options.workspaceId, {
    sql: `COPY (SELECT ${line} FROM public.audit_events e WHERE ${condition} ORDER BY e.seq DESC) TO STDOUT (FORMAT binary)`,
    settings,
  });
  const text = new CopyBinaryText(options.format === "csv" ? Buffer.from(CSV_HEADER) : undefined);
  // A failure on either side destroys both: the reader sees the error, and a reader
  // that cancels closes the COPY's connection. The reader hears the outcome; nothing more to do here.
  pipeline(rows, text, () => {});
  return Readable.toWeb(text) as ReadableStream<Uint8Array>;
}
