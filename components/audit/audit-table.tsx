"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import type { AuditEventView } from "@/lib/audit/schemas";
import { DataTable } from "@/components/ui/data-table";
import { LocalTime } from "@/components/ui/local-time";

type Props = { events: AuditEventView[]; newer: string | null; older: string | null; selectedId?: string; filtered: boolean };

/** The log, newest first; each row opens its details without losing the filters or position. */
export function AuditTable({ events, newer, older, selectedId, filtered }: Props) {
  const pathname = usePathname();
  const params = useSearchParams();
  const detailsHref = (id: string) => {
    const next = new URLSearchParams(params);
    next.set("event", id);
    return `${pathname}?${next.toString()}`;
  };
  const columns: ColumnDef<AuditEventView, unknown>[] = [
    {
      id: "time",
      header: "Time",
      cell: ({ row }) => (
        <Link href={detailsHref(row.original.id)} scroll={false} className="whitespace-nowrap font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-400" aria-label={`Details of event ${row.original.seq}`}>
          <LocalTime iso={row.original.occurred_at} />
        </Link>
      ),
    },
    {
      id: "actor",
      header: "Actor",
      cell: ({ row }) => {
        const { actor } = row.original;
        return (
          <span data-testid="audit-actor">
            {actor.label ?? actor.id ?? "system"}
            {actor.type === "api_key" ? <span className="ml-1 rounded bg-zinc-100 px-1 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">API key</span> : null}
          </span>
        );
      },
    },
    { id: "action", header: "Action", cell: ({ row }) => <code className="text-xs" data-testid="audit-action">{row.original.action}</code> },
    {
      id: "target",
      header: "Target",
      cell: ({ row }) => {
        const { target } = row.original;
        if (!target) return "—";
        // Ids are mostly UUIDs: the start is enough to tell rows apart; the details show it whole.
        const id = target.id && target.id.length > 14 ? `${target.id.slice(0, 8)}…` : target.id;
        return (
          <span className="whitespace-nowrap text-xs text-zinc-600 dark:text-zinc-400" title={target.id ?? undefined}>
            {target.type} · <span className="font-mono">{id}</span>
          </span>
        );
      },
    },
    { id: "ip", header: "IP", cell: ({ row }) => <span className="font-mono text-xs">{row.original.ip ?? "—"}</span> },
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
