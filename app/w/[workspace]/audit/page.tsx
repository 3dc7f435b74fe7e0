import Link from "next/link";
import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { can } from "@/lib/authz/capabilities";
import { auditPageQuerySchema, type AuditFilters as Filters } from "@/lib/audit/schemas";
import { auditSearchParams } from "@/lib/audit/audit-search-params";
import { getAuditLogView } from "@/lib/audit/get-audit-log-view";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { AuditEventDetails } from "@/components/audit/audit-event-details";
import { AuditDetailsSheet } from "@/components/audit/audit-details-sheet";
import { VerifyIntegrity } from "@/components/audit/verify-integrity";
import { DisplayZoneProvider, DisplayZoneToggle } from "@/components/audit/display-zone";

export const metadata = { title: "Audit log" };

type Props = { params: Promise<{ workspace: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const asArray = (value: string | string[] | undefined) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

export default async function AuditPage({ params, searchParams }: Props) {
  const { membership } = await requireWorkspace((await params).workspace);
  const header = (
    <PageHeader title="Audit log" description="Every change in this workspace, append-only and hash-chained. Times are shown in the workspace's time zone, or yours, and stored in UTC." />
  );
  if (!can(membership.role, "audit.read")) {
    return (
      <>
        {header}
        <EmptyState title="Owners and admins read the audit log">Ask an owner or admin of this workspace if you need an event looked up.</EmptyState>
      </>
    );
  }

  const raw = await searchParams;
  const parsed = auditPageQuerySchema.safeParse({ ...raw, action: asArray(raw.action) });
  const base = `/w/${membership.slug}/audit`;
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return (
      <>
        {header}
        <EmptyState title="This link has a filter Warden cannot read">
          <span className="block">
            {String(issue?.path[0] ?? "filter")}: {issue?.message}
          </span>
          <Link href={base} className="mt-3 inline-block font-medium text-indigo-700 underline dark:text-indigo-400">
            Show the whole log
          </Link>
        </EmptyState>
      </>
    );
  }

  const { before, after, event, ...filters } = parsed.data;
  const { page, actor, details, timeZone } = await getAuditLogView({ workspaceId: membership.workspaceId, filters, before, after, eventId: event });
  const filtered = Object.values(filters).some((v) => v !== undefined);
  const view = { before, after };
  const hrefFor = (changes: Record<string, string | undefined>) => {
    const { event: eventId, ...filterChanges } = changes;
    // A filter link starts a new view at the top; opening another event keeps the position.
    const next: Filters = eventId ? filters : { ...filterChanges };
    return `${base}?${auditSearchParams(next, eventId ? { ...view, event: eventId } : {}).toString()}`;
  };
  const closeHref = `${base}?${auditSearchParams(filters, view).toString()}`;
  const mayExport = can(membership.role, "audit.export");
  const exportHref = (format: "csv" | "jsonl") => `${base}/export?${auditSearchParams(filters, { format }).toString()}`;

  return (
    <>
      {header}
      <DisplayZoneProvider workspaceZone={timeZone}>
        <div className="space-y-4">
          <DisplayZoneToggle />
          <AuditFilters key={auditSearchParams(filters).toString()} workspace={membership.slug} filters={filters} actor={actor} />
          <div className="flex flex-wrap items-center justify-between gap-3">
            <VerifyIntegrity workspace={membership.slug} />
            {mayExport ? (
              <div className="flex gap-2 text-sm" role="group" aria-label="Export the filtered log">
                <a href={exportHref("csv")} download className="rounded-md border border-zinc-300 px-3 py-2 font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
                  Export CSV
                </a>
                <a href={exportHref("jsonl")} download className="rounded-md border border-zinc-300 px-3 py-2 font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
                  Export JSON Lines
                </a>
              </div>
            ) : null}
          </div>
          {/* Beside the table on a wide screen, narrow enough that every column stays in view; below it otherwise; a sheet on a phone. */}
          <div className={details ? "grid gap-4 xl:grid-cols-[minmax(0,1fr)_22rem]" : undefined}>
            <AuditTable events={page.events} newer={page.newerCursor} older={page.olderCursor} selectedId={details?.event.id} filtered={filtered} />
            {details ? (
              <AuditDetailsSheet eventId={details.event.id} closeHref={closeHref}>
                <AuditEventDetails details={details} hrefFor={hrefFor} closeHref={closeHref} />
              </AuditDetailsSheet>
            ) : event ? (
              <p role="status" className="text-sm text-zinc-500">
                That event is not in this workspace&apos;s log.
              </p>
            ) : null}
          </div>
        </div>
      </DisplayZoneProvider>
    </>
  );
}
