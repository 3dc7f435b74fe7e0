"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { ROLES } from "@/lib/authz/capabilities";

/** Search and filters; they write the URL, which the server reads. */
export function MemberFilters() {
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

  const select = "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";
  return (
    <div className="flex flex-wrap items-end gap-3">
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium">Search</span>
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name or email" className={`${select} w-64`} />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium">Role</span>
        <select value={params.get("role") ?? ""} onChange={(e) => set("role", e.target.value)} className={select}>
          <option value="">All roles</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium">MFA</span>
        <select value={params.get("mfa") ?? ""} onChange={(e) => set("mfa", e.target.value)} className={select}>
          <option value="">Any</option>
          <option value="on">On</option>
          <option value="off">Off</option>
        </select>
      </label>
    </div>
  );
}
