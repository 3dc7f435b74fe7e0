import type { Tx } from "../db/with-workspace";
import { auditWhere } from "./audit-where";
import type { Prisma } from "../generated/prisma/client";
import type { AuditEventView, AuditFilters } from "./schemas";
import { toAuditEventView } from "./to-audit-event-view";

export type AuditPosition = { before?: bigint; after?: bigint };
export type AuditEventPage = { events: AuditEventView[]; olderCursor: string | null; newerCursor: string | null };

/**
 * One page of the log, newest first, by keyset on seq (never OFFSET): a page is
 * "the next N events below (or above) this seq", so events written meanwhile
 * get higher seqs and can neither shift a row onto a second page nor push one off.
 */
export async function listAuditEvents(
  tx: Tx,
  options: { workspaceId: string; filters: AuditFilters; position?: AuditPosition; limit: number; now?: Date },
): Promise<AuditEventPage> {
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

  const newest = page[0].seq;
  const oldest = page[page.length - 1].seq;
  const hasOlder = forward ? await exists(tx, { ...where, seq: { lt: oldest } }) : more;
  const hasNewer = forward ? more : before !== undefined && (await exists(tx, { ...where, seq: { gt: newest } }));
  return {
    events: page.map(toAuditEventView),
    olderCursor: hasOlder ? oldest.toString() : null,
    newerCursor: hasNewer ? newest.toString() : null,
  };
}

async function exists(tx: Tx, where: Prisma.AuditEventWhereInput) {
  return (await tx.auditEvent.findFirst({ where, select: { id: true } })) !== null;
}
