import type { Tx } from "../db/with-workspace";
import { auditWhere } from "./audit-where";
import type { AuditEventView, AuditFilters } from "./schemas";
import { toAuditEventView } from "./to-audit-event-view";

export type AuditPosition = { before?: bigint; after?: bigint };
export type AuditEventPage = { events: AuditEventView[]; olderCursor: string | null; newerCursor: string | null };

/**
 * One page of the log, newest first, by keyset on seq (never OFFSET): a page is
 * "the next N events below (or above) this seq", so events written meanwhile
 * get higher seqs and can neither shift a row onto a second page nor push one off.
 */
export async function listAuditEvents(tx: Tx, options: { workspaceId: string; filters: AuditFilters; position?: AuditPosition; limit: number; now?: Date }): Promise<AuditEventPage> {
  const where = auditWhere(options.workspaceId, options.filters, options.now);
  const { before, after } = options.position ?? {};
  const forward = after !== undefined && before === undefined;
  const rows = await tx.auditEvent.findMany({
    where: { ...where, ...(forward ? { seq: { gt: after } } : before !== undefined ? { seq: { lt: before } } : {}) },
    orderBy: { seq: forward ? "asc" : "desc" },
    take: options.limit + 1,
  });
  const more = rows.length > options.limit;
  const page = rows.slice(0, options.limit);
  if (forward) page.reverse();
  if (page.length === 0) return { events: [], olderCursor: null, newerCursor: null };

  // A cursor is the seq of an event a page showed, and that event matched the
  // filters: so a page reached through "older" has newer events and one reached
  // through "newer" has older ones. Only the direction of travel needs the +1 row.
  const hasOlder = forward || more;
  const hasNewer = forward ? more : before !== undefined;
  return {
    events: page.map(toAuditEventView),
    olderCursor: hasOlder ? page[page.length - 1].seq.toString() : null,
    newerCursor: hasNewer ? page[0].seq.toString() : null,
  };
}
