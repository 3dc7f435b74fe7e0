"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

type Props = { environments: string[]; environment: string | null; status: string | null; view: "live" | "deleted" };

/** Search, filters and the live/deleted switch; they write the URL, which the server reads. */
export function SecretFilters({ environments, environment, status, view }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [q, setQ] = useState(params.get("q") ?? "");

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete("page");
    router.replace(`${pathname}?${next.toString()}`);
  };

  useEffect(() => {
    if (q === (params.get("q") ?? "")) return;
    const timer = setTimeout(() => set("q", q), 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);

  const viewHref = (next: "live" | "deleted") => {
    const search = new URLSearchParams();
    if (next === "deleted") search.set("view", "deleted");
    return `${pathname}${search.size ? `?${search}` : ""}`;
  };
  const tab = (active: boolean) =>
    `rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-zinc-200 text-zinc-900 dark:bg-zinc-800 dark:text-white" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-900"}`;
  const select = "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";
  return (
    <div className="space-y-3">
      <nav aria-label="Which secrets" className="flex gap-1">
        <Link href={viewHref("live")} aria-current={view === "live" ? "page" : undefined} className={tab(view === "live")}>
          Secrets
        </Link>
        <Link href={viewHref("deleted")} aria-current={view === "deleted" ? "page" : undefined} className={tab(view === "deleted")}>
          Deleted
        </Link>
      </nav>
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Search</span>
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name or description" className={`${select} w-64`} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Environment</span>
          <select value={environment ?? ""} onChange={(e) => set("env", e.target.value)} className={select}>
            <option value="">All environments</option>
            {environments.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {view === "live" ? (
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium">Rotation</span>
            <select value={status ?? ""} onChange={(e) => set("status", e.target.value)} className={select}>
              <option value="">Any</option>
              <option value="rotation_due">Rotation due</option>
              <option value="expired">Expired</option>
            </select>
          </label>
        ) : null}
      </div>
    </div>
  );
}
