import { withWorkspace, type Tx } from "../db/with-workspace";
import { auditWhere } from "./audit-where";
import type { AuditFilters } from "./schemas";

export type ExportFormat = "csv" | "jsonl";

// A batch is a range of this many seqs, read in one transaction.
const BATCH = 5000;
// Rows per piece of text: pieces stay well under V8's large-object size (about
// 128 KB), so they die young and cheaply instead of piling up in old space.
const ROWS_PER_PIECE = 100;
// Batches in flight: the database formats the next ones, on their own
// connections, while the client takes this one.
const READ_AHEAD = 2;
// The columns of audit_event_csv (last defined in 20261123070000_audit_export_columns).
const CSV_HEADER = "seq,occurred_at,actor_type,actor_id,actor_label,action,target_type,target_id,ip,user_agent,request_id,client_request_id,metadata,hash,key_id\r\n";

/**
 * The filtered log as a byte stream, newest first. Seqs run 1, 2, 3… in each
 * workspace, so the export walks fixed seq ranges from the newest down, and
 * several can be read at once. In each range the one filter definition
 * (auditWhere) picks the matching seqs, and the database formats those rows
 * (audit_event_csv / audit_event_json) into a few pieces of text, so the server
 * passes text through rather than mapping rows. At most READ_AHEAD ranges are
 * held, so memory stays flat at any size. The newest seq is fixed when the export
 * starts, and the log is append-only, so ranges read in separate transactions
 * form one consistent snapshot. The promise resolves once the first range has
 * been read, so a query that cannot run rejects it rather than the stream.
 */
export async function streamAuditExport(options: {
  workspaceId: string;
  filters: AuditFilters;
  format: ExportFormat;
  now?: Date;
}): Promise<ReadableStream<Uint8Array>> {
  const { workspaceId, format } = options;
  const where = auditWhere(workspaceId, options.filters, options.now);
  const unfiltered = Object.values(options.filters).every((value) => value === undefined || (Array.isArray(value) && value.length === 0));
  const formatted = format === "csv" ? "audit_event_csv(e)" : "audit_event_json(e)";
  const encoder = new TextEncoder();

  // Only constants from this file are spliced into the statement; every value is a parameter.
  const readPieces = (tx: Tx, condition: string, params: unknown[]) =>
    tx.$queryRawUnsafe<{ text: string }[]>(
      `SELECT string_agg(line, '' ORDER BY seq DESC) AS text FROM (
         SELECT e.seq, ${formatted} AS line, (row_number() OVER (ORDER BY e.seq DESC) - 1) / ${ROWS_PER_PIECE} AS piece
         FROM audit_events e WHERE e.workspace_id = $1::uuid AND ${condition}) AS lines
       GROUP BY piece ORDER BY piece`,
      workspaceId,
      ...params,
    );

  const readRange = (lowest: bigint, upper: bigint): Promise<string[]> =>
    withWorkspace(workspaceId, async (tx) => {
      if (unfiltered) return (await readPieces(tx, "e.seq >= $2 AND e.seq < $3", [lowest, upper])).map((p) => p.text);
      const matches = await tx.auditEvent.findMany({ where: { ...where, seq: { gte: lowest, lt: upper } }, select: { seq: true } });
      if (matches.length === 0) return [];
      const seqs = matches.map((m) => m.seq.toString()).join(",");
      return (await readPieces(tx, "e.seq = ANY(string_to_array($2, ',')::bigint[])", [seqs])).map((p) => p.text);
    });

  const head = await withWorkspace(workspaceId, (tx) =>
    tx.auditEvent.findFirst({ where: { workspaceId }, orderBy: { seq: "desc" }, select: { seq: true } }),
  );
  let nextUpper = head ? head.seq + 1n : 1n;
  const inFlight: Promise<string[]>[] = [];
  const requestNext = () => {
    if (nextUpper <= 1n) return;
    const upper = nextUpper;
    nextUpper = upper - BigInt(BATCH) > 1n ? upper - BigInt(BATCH) : 1n;
    const range = readRange(nextUpper, upper);
    // A failed read ahead must surface when the stream reaches it, not as an unhandled rejection.
    range.catch(() => {});
    inFlight.push(range);
  };
  for (let i = 0; i < READ_AHEAD; i++) requestNext();
  // The first range runs before the stream is handed back: a filter the database
  // refuses fails here, while the caller can still answer with an error, instead
  // of after a 200 and a header line. Every range runs the same filter, so one
  // that ran says the rest will.
  if (inFlight.length > 0) await inFlight[0];

  let headerSent = format !== "csv";
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(CSV_HEADER));
          return;
        }
        // Ranges without a match yield nothing; keep going until one does or all are read.
        while (inFlight.length > 0) {
          const pieces = await inFlight.shift()!;
          requestNext();
          if (pieces.length === 0) continue;
          for (const piece of pieces) controller.enqueue(encoder.encode(piece));
          return;
        }
        controller.close();
      },
      cancel() {
        nextUpper = 1n;
        inFlight.length = 0;
      },
    },
    { highWaterMark: 1 },
  );
}
