import "server-only";
import { authorizeWorkspace } from "../authz/authorize-workspace";
import { withWorkspace } from "../db/with-workspace";
import { parseQuery } from "../http/parse-query";
import type { RequestContext } from "../http/request-context";
import { recordAuditEvent } from "./record-audit-event";
import { auditExportQuerySchema } from "./schemas";
import { streamAuditExport } from "./stream-audit-export";

const CONTENT_TYPES = { csv: "text/csv; charset=utf-8", jsonl: "application/x-ndjson; charset=utf-8" } as const;

/**
 * A download of the filtered log for a member allowed to export it. The filters
 * are checked first (400 naming the parameter), then the export's COPY starts and
 * sends its first bytes, so the query is known to run; only then is the export
 * audited, with its filters,
 * and that event is committed before the first byte leaves: an export cannot
 * happen unrecorded, even if the download stops, and a refused one leaves no
 * record of an export that never was. The export is the log as it stood before
 * its own event.
 */
export async function exportAuditLog(options: { slug: string; params: URLSearchParams; context: RequestContext; now?: Date }) {
  const { membership, actor } = await authorizeWorkspace(options.slug, "audit.export");
  const { format, ...filters } = parseQuery(auditExportQuerySchema, options.params);
  const now = options.now ?? new Date();
  const body = await streamAuditExport({ workspaceId: membership.workspaceId, filters, format, now });
  try {
    await withWorkspace(membership.workspaceId, (tx) =>
      recordAuditEvent(tx, {
        workspaceId: membership.workspaceId,
        actor,
        action: "audit.exported",
        metadata: { format, filters, as_of: now.toISOString() },
        context: options.context,
      }),
    );
  } catch (error) {
    // Unrecorded, the export must not be sent: stop the COPY already running.
    await body.cancel();
    throw error;
  }
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  return {
    body,
    headers: {
      "Content-Type": CONTENT_TYPES[format],
      "Content-Disposition": `attachment; filename="audit-${membership.slug}-${stamp}.${format}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  };
}
