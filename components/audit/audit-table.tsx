"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import type { AuditEventRow, AuditName } from "@/lib/audit/to-audit-event-row";
import { DataTable } from "@/components/ui/data-table";
import { EventTime } from "./event-time";

type Props = { events: AuditEventRow[]; newer: string | null; older: string | null; selectedId?: string; filtered: boolean };

/** What the hover says of a name: its email, prefix or reference, and the id the log holds. */
const hover = (name: AuditName, id: string | null, type?: string) => [name.detail, id && id !== name.detail ? `${type ? `${type} ` : ""}${id}` : null].filter(Boolean).join(" · ") || undefined;

/** The log, newest first; each row opens its details without losing the filters or position. */
export function AuditTable({ events, newer, older, selectedId, filtered }: Props) {
  const pathname = usePathname();
  const params = useSearchParams();
  const detailsHref = (id: string) => {
    const next = new URLSearchParams(params);
    next.set("event", id);
    return `${pathname}?${next.toString()}`;
  };
  const columns: ColumnDef<AuditEventRow, unknown>[] = [
    {
      id: "time",
      header: "Time",
      cell: ({ row }) => (
        <Link
          href={detailsHref(row.original.id)}
          scroll={false}
          className="whitespace-nowrap font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-400"
          aria-label={`Details of event ${row.original.seq}`}
        >
          <EventTime iso={row.original.occurred_at} />
        </Link>
      ),
    },
    {
      id: "actor",
      header: "Actor",
      cell: ({ row }) => {
        const { actor } = row.original;
        return (
          <span data-testid="audit-actor" className="inline-flex max-w-[11rem] items-center gap-1" title={hover(row.original.shown.actor, actor.id)}>
            <span className="truncate">{row.original.shown.actor.name}</span>
            {actor.type === "api_key" ? <span className="shrink-0 rounded bg-zinc-100 px-1 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">API key</span> : null}
          </span>
        );
      },
    },
    {
      id: "action",
      header: "Action",
      // The label reads; the code is on hover, in the details and in the filter's search.
      cell: ({ row }) => (
        <span data-testid="audit-action" data-action={row.original.action} title={row.original.action} className="whitespace-nowrap">
          {row.original.shown.action}
        </span>
      ),
    },
    {
      id: "target",
      header: "Target",
      cell: ({ row }) => {
        const { target, shown } = row.original;
        if (!target || !shown.target) return "—";
        return (
          <span data-testid="audit-target" className="block max-w-[11rem] truncate" title={hover(shown.target, target.id, target.type)}>
            {shown.target.name}
          </span>
        );
      },
    },
    {
      id: "ip",
      header: "IP",
      // IPv6 addresses are long: the start tells rows apart, the details and the hover show it whole.
      cell: ({ row }) => (
        <span className="block max-w-[8rem] truncate font-mono text-xs" title={row.original.ip ?? undefined}>
          {row.original.ip ?? "—"}
        </span>
      ),
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={events}
      getRowId={(event) => event.id}
      selectedRowId={selectedId}
      paging={{ kind: "cursor", newer, older, shown: events.length }}
      caption="Audit events, newest first"
      empty={filtered ? "No event matches these filters." : "No events yet."}
    />
  );
}
