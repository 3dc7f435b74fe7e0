import "server-only";
import { withWorkspace } from "../db/with-workspace";
import { listAuditEvents, type AuditEventPage } from "./list-audit-events";
import { resolveAuditNames } from "./resolve-audit-names";
import type { AuditEventView, AuditFilters } from "./schemas";
import { toAuditEventRow, type AuditEventRow } from "./to-audit-event-row";
import { toAuditEventView } from "./to-audit-event-view";
import { describeAuditActor, type AuditActorOption } from "./audit-actors";

export type AuditEventDetails = { event: AuditEventRow; sameRequest: AuditEventRow[] };
export type AuditLogPage = Omit<AuditEventPage, "events"> & { events: AuditEventRow[] };

const PAGE_SIZE = 50;

/** Everything the audit page shows, read in one transaction. */
export async function getAuditLogView(options: {
  workspaceId: string;
  filters: AuditFilters;
  before?: string;
  after?: string;
  eventId?: string;
}): Promise<{ page: AuditLogPage; actor: AuditActorOption | null; details: AuditEventDetails | null; timeZone: string }> {
  const { workspaceId } = options;
  return withWorkspace(workspaceId, async (tx) => {
    const page = await listAuditEvents(tx, {
      workspaceId,
      filters: options.filters,
      position: { before: options.before ? BigInt(options.before) : undefined, after: options.after ? BigInt(options.after) : undefined },
      limit: PAGE_SIZE,
    });
    const [actor, workspace] = await Promise.all([
      // The filter's actor is named; others are found as the person types (findAuditActors).
      options.filters.actor ? describeAuditActor(tx, workspaceId, options.filters.actor) : null,
      // The log's times are shown on the workspace's clock by default.
      tx.workspace.findUnique({ where: { id: workspaceId }, select: { timeZone: true } }),
    ]);

    let opened: { event: AuditEventView; sameRequest: AuditEventView[] } | null = null;
    if (options.eventId) {
      const event = await tx.auditEvent.findFirst({ where: { workspaceId, id: options.eventId } });
      if (event) {
        const sameRequest = event.requestId ? await tx.auditEvent.findMany({ where: { workspaceId, requestId: event.requestId, id: { not: event.id } }, orderBy: { seq: "asc" }, take: 20 }) : [];
        opened = { event: toAuditEventView(event), sameRequest: sameRequest.map(toAuditEventView) };
      }
    }

    // One batched lookup names everyone and everything the page shows.
    const names = await resolveAuditNames(tx, workspaceId, [...page.events, ...(opened ? [opened.event, ...opened.sameRequest] : [])]);
    const row = (event: AuditEventView) => toAuditEventRow(event, names, workspaceId);
    const details = opened ? { event: row(opened.event), sameRequest: opened.sameRequest.map(row) } : null;
    return { page: { ...page, events: page.events.map(row) }, actor, details, timeZone: workspace?.timeZone ?? "UTC" };
  });
}
