import "server-only";
import { withWorkspace } from "../db/with-workspace";
import { auditWhere } from "./audit-where";
import { csvCell } from "./csv-cell";
import type { AuditFilters } from "./schemas";
import { toAuditEventView } from "./to-audit-event-view";

export type ExportFormat = "csv" | "jsonl";

const BATCH = 2000;
const CSV_HEADER = "seq,occurred_at,actor_type,actor_id,actor_label,action,target_type,target_id,ip,user_agent,request_id,metadata,hash\r\n";

/**
 * The filtered log as a byte stream, newest first, read in keyset batches only as
 * fast as the client takes them (pull), so memory stays flat at any size. The
 * upper bound is fixed when the export starts: events written meanwhile are not
 * in it, and because the log is append-only the batches need no long transaction.
 */
export async function streamAuditExport(options: {
  workspaceId: string;
  filters: AuditFilters;
  format: ExportFormat;
  now?: Date;
}): Promise<ReadableStream<Uint8Array>> {
  const where = auditWhere(options.workspaceId, options.filters, options.now);
  const encoder = new TextEncoder();
  const head = await withWorkspace(options.workspaceId, (tx) =>
    tx.auditEvent.findFirst({ where: { workspaceId: options.workspaceId }, orderBy: { seq: "desc" }, select: { seq: true } }),
  );
  let below: bigint | null = head ? head.seq + 1n : null;
  let headerSent = options.format !== "csv";

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(CSV_HEADER));
        return;
      }
      if (below === null) return controller.close();
      const upper = below;
      const rows = await withWorkspace(options.workspaceId, (tx) =>
        tx.auditEvent.findMany({ where: { ...where, seq: { lt: upper } }, orderBy: { seq: "desc" }, take: BATCH }),
      );
      if (rows.length > 0) {
        const lines = rows.map((row) => (options.format === "csv" ? csvLine(row) : JSON.stringify(toAuditEventView(row)) + "\n"));
        controller.enqueue(encoder.encode(lines.join("")));
      }
      below = rows.length === BATCH ? rows[rows.length - 1].seq : null;
      if (below === null) controller.close();
    },
  }, { highWaterMark: 1 });
}

function csvLine(row: Parameters<typeof toAuditEventView>[0]): string {
  return [
    row.seq.toString(),
    row.occurredAt.toISOString(),
    csvCell(row.actorType),
    csvCell(row.actorId),
    csvCell(row.actorLabel),
    csvCell(row.action),
    csvCell(row.targetType),
    csvCell(row.targetId),
    csvCell(row.ip),
    csvCell(row.userAgent),
    csvCell(row.requestId),
    csvCell(JSON.stringify(row.metadata ?? {})),
    row.hash,
  ].join(",") + "\r\n";
}
