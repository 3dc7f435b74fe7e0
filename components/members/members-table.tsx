"use client";

import type { ColumnDef } from "@tanstack/react-table";
import type { MemberRow } from "@/lib/members/list-members";
import type { Role } from "@/lib/generated/prisma/enums";
import { DataTable } from "@/components/ui/data-table";
import { LocalTime } from "@/components/ui/local-time";
import { MemberActions } from "./member-actions";
import { MemberNotice } from "./member-notice";

type Props = {
  workspace: string;
  rows: MemberRow[];
  total: number;
  page: number;
  size: number;
  sort: string;
  dir: "asc" | "desc";
  viewer: { userId: string; role: Role; mayChangeRoles: boolean; mayRemove: boolean; mayTransfer: boolean };
};

/** One line per person: a long name or address is cut with an ellipsis and shown whole on hover. */
const Clipped = ({ text, width }: { text: string; width: string }) => (
  <span className={`block truncate ${width}`} title={text}>
    {text}
  </span>
);
const When = ({ iso }: { iso: string }) => (
  <span className="whitespace-nowrap">
    <LocalTime iso={iso} />
  </span>
);

export function MembersTable({ workspace, viewer, rows, total, page, size, sort, dir }: Props) {
  const columns: ColumnDef<MemberRow, unknown>[] = [
    { id: "name", header: "Name", accessorKey: "name", cell: ({ row }) => <Clipped text={row.original.name} width="max-w-48" /> },
    { id: "email", header: "Email", accessorKey: "email", cell: ({ row }) => <Clipped text={row.original.email} width="max-w-64" /> },
    {
      id: "role",
      header: "Role",
      accessorKey: "role",
      cell: ({ row }) => (
        <span className="capitalize" data-testid="member-role">
          {row.original.role}
        </span>
      ),
    },
    {
      id: "mfa",
      header: "MFA",
      enableSorting: false,
      cell: ({ row }) => (row.original.mfa ? <span className="text-emerald-700 dark:text-emerald-400">On</span> : <span className="text-zinc-500">Off</span>),
    },
    {
      id: "lastActive",
      header: "Last active",
      cell: ({ row }) => <span data-testid="member-last-active">{row.original.lastActive ? <When iso={row.original.lastActive} /> : "Never"}</span>,
    },
    { id: "joined", header: "Joined", cell: ({ row }) => <When iso={row.original.joined} /> },
    {
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      enableSorting: false,
      cell: ({ row }) => (
        <MemberActions workspace={workspace} member={{ userId: row.original.userId, name: row.original.name, email: row.original.email, role: row.original.role as Role }} viewer={viewer} />
      ),
    },
  ];
  return (
    <div className="min-w-0 space-y-3">
      <MemberNotice />
      <DataTable
        columns={columns}
        rows={rows}
        // Keyed by person, so a row's controls keep their state when rows above it go.
        getRowId={(row) => row.userId}
        paging={{ kind: "offset", total, page, size }}
        sort={sort}
        dir={dir}
        caption="Members of this workspace"
        empty="No member matches these filters."
      />
    </div>
  );
}
