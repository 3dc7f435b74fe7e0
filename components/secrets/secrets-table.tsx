"use client";

import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import type { SecretRow } from "@/lib/secrets/list-secrets";
import { DataTable } from "@/components/ui/data-table";
import { LocalTime } from "@/components/ui/local-time";
import { SecretStatusBadge } from "./secret-status-badge";
import { DeleteSecretButton, RestoreSecretButton } from "./secret-row-actions";

type Props = {
  workspace: string;
  view: "live" | "deleted";
  rows: SecretRow[];
  total: number;
  page: number;
  size: number;
  sort: string;
  dir: "asc" | "desc";
  filtered: boolean;
  mayDelete: boolean;
};

const When = ({ iso }: { iso: string }) => (
  <span className="whitespace-nowrap">
    <LocalTime iso={iso} />
  </span>
);
const Muted = ({ children }: { children: React.ReactNode }) => <span className="block text-xs text-zinc-500 dark:text-zinc-400">{children}</span>;

export function SecretsTable({ workspace, view, rows, total, page, size, sort, dir, filtered, mayDelete }: Props) {
  const columns: ColumnDef<SecretRow, unknown>[] = [
    {
      id: "name",
      header: "Name",
      cell: ({ row }) =>
        view === "live" ? (
          <Link
            href={`/w/${workspace}/secrets/${row.original.id}`}
            className="block max-w-72 truncate font-mono font-medium text-indigo-700 hover:underline dark:text-indigo-400"
            title={row.original.name}
          >
            {row.original.name}
          </Link>
        ) : (
          <span className="block max-w-72 truncate font-mono" title={row.original.name}>
            {row.original.name}
          </span>
        ),
    },
    { id: "environment", header: "Environment", cell: ({ row }) => <span className="whitespace-nowrap">{row.original.environment}</span> },
    {
      id: "description",
      header: "Description",
      enableSorting: false,
      cell: ({ row }) => (
        <span className="block max-w-64 truncate text-zinc-600 dark:text-zinc-300" title={row.original.description}>
          {row.original.description || "—"}
        </span>
      ),
    },
    { id: "version", header: "Version", enableSorting: false, cell: ({ row }) => <span className="tabular-nums">v{row.original.version}</span> },
    {
      id: "updated",
      header: "Updated",
      cell: ({ row }) => (
        <>
          <When iso={row.original.updatedAt} />
          <Muted>by {row.original.updatedBy ?? "a former member"}</Muted>
        </>
      ),
    },
    {
      id: "lastResolved",
      header: "Last resolved",
      cell: ({ row }) =>
        row.original.lastResolvedAt ? (
          <>
            <When iso={row.original.lastResolvedAt} />
            <Muted>by key {row.original.lastResolvedBy ?? "(revoked or deleted)"}</Muted>
          </>
        ) : (
          <span className="text-zinc-500">Never</span>
        ),
    },
    view === "live"
      ? { id: "status", header: "Rotation", enableSorting: false, cell: ({ row }) => <SecretStatusBadge status={row.original.status} /> }
      : {
          id: "deleted",
          header: "Deleted",
          enableSorting: false,
          cell: ({ row }) => (
            <>
              {row.original.deletedAt ? <When iso={row.original.deletedAt} /> : null}
              <Muted>by {row.original.deletedBy ?? "a former member"}</Muted>
            </>
          ),
        },
  ];
  if (mayDelete) {
    columns.push({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      enableSorting: false,
      cell: ({ row }) => {
        const secret = { id: row.original.id, name: row.original.name, environment: row.original.environment };
        return <div className="flex justify-end">{view === "live" ? <DeleteSecretButton workspace={workspace} secret={secret} /> : <RestoreSecretButton workspace={workspace} secret={secret} />}</div>;
      },
    });
  }
  return (
    <div className="min-w-0">
      <DataTable
        columns={columns}
        rows={rows}
        getRowId={(row) => row.id}
        paging={{ kind: "offset", total, page, size }}
        sort={sort}
        dir={dir}
        caption={view === "live" ? "Secrets of this workspace" : "Deleted secrets, restorable for 30 days"}
        empty={filtered ? "No secret matches these filters." : view === "live" ? "No secrets yet." : "No deleted secrets. A deleted secret stays here for 30 days."}
      />
    </div>
  );
}
