"use client";

import { flexRender, getCoreRowModel, useReactTable, type CellContext, type ColumnDef, type SortingState } from "@tanstack/react-table";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";
import { Button } from "./button";

/**
 * Offset paging for small sets (members); keyset paging for logs, where "page 7"
 * would shift as rows arrive: newer/older carry the cursors the server returned.
 */
export type Paging = { kind: "offset"; total: number; page: number; size: number } | { kind: "cursor"; newer: string | null; older: string | null; shown: number };

type Props<T> = {
  columns: ColumnDef<T, unknown>[];
  rows: T[];
  paging: Paging;
  sort?: string;
  dir?: "asc" | "desc";
  caption: string;
  empty: string;
  getRowId?: (row: T) => string;
  selectedRowId?: string;
};

/**
 * The one table: TanStack Table in manual mode. Sorting and paging are done by the
 * server and live in the URL, so a view can be shared and the back button works.
 */
export function DataTable<T>({ columns, rows, paging, sort, dir, caption, empty, getRowId, selectedRowId }: Props<T>) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();

  const go = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    startTransition(() => router.replace(`${pathname}?${next.toString()}`));
  };

  const sorting: SortingState = sort ? [{ id: sort, desc: dir === "desc" }] : [];
  const table = useReactTable({
    data: rows,
    columns,
    getRowId,
    manualPagination: true,
    manualSorting: true,
    enableSorting: Boolean(sort),
    state: { sorting },
    onSortingChange: (updater) => {
      const [first] = typeof updater === "function" ? updater(sorting) : updater;
      go({ sort: first?.id ?? null, dir: first?.desc ? "desc" : "asc", page: null });
    },
    getCoreRowModel: getCoreRowModel(),
  });

  return (
    // min-w-0: inside a flex or grid row the table scrolls in its own box instead of widening the page.
    <div className="min-w-0 space-y-3" aria-busy={pending}>
      {/* relative: a visually hidden label in a cell is positioned against this box, not the page, which it would widen. */}
      <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="border-b border-zinc-200 text-xs uppercase text-zinc-500 dark:border-zinc-800">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th key={header.id} scope="col" className="whitespace-nowrap px-4 py-2" aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}>
                      {header.column.getCanSort() ? (
                        <button type="button" className="inline-flex items-center gap-1 uppercase" onClick={header.column.getToggleSortingHandler()}>
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          <span aria-hidden>{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : ""}</span>
                        </button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className={`divide-y divide-zinc-200 dark:divide-zinc-800 ${pending ? "opacity-60" : ""}`}>
            {table.getRowModel().rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="px-4 py-8 text-center text-zinc-500">
                  {empty}
                </td>
              </tr>
            ) : (
              table.getRowModel().rows.map((row) => (
                <tr
                  key={row.id}
                  data-testid="table-row"
                  aria-current={row.id === selectedRowId ? "true" : undefined}
                  className={row.id === selectedRowId ? "bg-indigo-50 dark:bg-indigo-950/40" : undefined}
                >
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className="px-4 py-2 align-middle">
                      <CellContent render={cell.column.columnDef.cell} context={cell.getContext()} />
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-2 text-sm">
        {paging.kind === "offset" ? (
          <OffsetPager paging={paging} go={go} />
        ) : (
          <>
            <p className="text-zinc-500">{paging.shown} shown · newest first</p>
            <div className="flex gap-2">
              <Button type="button" variant="secondary" disabled={!paging.newer} onClick={() => go({ after: paging.newer, before: null, event: null })}>
                Newer
              </Button>
              <Button type="button" variant="secondary" disabled={!paging.older} onClick={() => go({ before: paging.older, after: null, event: null })}>
                Older
              </Button>
            </div>
          </>
        )}
      </nav>
    </div>
  );
}

/**
 * A column's cell, called rather than mounted as a component of its own: a column
 * list rebuilt on each render would otherwise be a new component type each time,
 * and every refresh of the page would remount each cell's controls, dropping what
 * they hold (an open dialog, a pending MFA step, the answer to an action).
 */
function CellContent<T>({ render, context }: { render: ColumnDef<T, unknown>["cell"]; context: CellContext<T, unknown> }) {
  return <>{typeof render === "function" ? render(context) : flexRender(render, context)}</>;
}

function OffsetPager({ paging, go }: { paging: Extract<Paging, { kind: "offset" }>; go: (changes: Record<string, string | null>) => void }) {
  const pages = Math.max(1, Math.ceil(paging.total / paging.size));
  return (
    <>
      <p className="text-zinc-500">
        {paging.total} in all · page {paging.page} of {pages}
      </p>
      <div className="flex gap-2">
        <Button type="button" variant="secondary" disabled={paging.page <= 1} onClick={() => go({ page: String(paging.page - 1) })}>
          Previous
        </Button>
        <Button type="button" variant="secondary" disabled={paging.page >= pages} onClick={() => go({ page: String(paging.page + 1) })}>
          Next
        </Button>
      </div>
    </>
  );
}
