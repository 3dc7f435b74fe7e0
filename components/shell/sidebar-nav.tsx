"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const ITEMS = [
  { href: "", label: "Overview" },
  { href: "/members", label: "Members" },
  { href: "/security", label: "Security" },
  { href: "/audit", label: "Audit log" },
  { href: "/api-keys", label: "API keys" },
  { href: "/usage", label: "Usage" },
  { href: "/secrets", label: "Secrets" },
  { href: "/settings", label: "Settings" },
];

export function SidebarNav({ slug }: { slug: string }) {
  const pathname = usePathname();
  const base = `/w/${slug}`;
  return (
    <nav aria-label="Workspace">
      <ul className="space-y-0.5">
        {ITEMS.map((item) => {
          const href = base + item.href;
          const active = item.href === "" ? pathname === base : pathname.startsWith(href);
          return (
            <li key={item.label}>
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                className={`block rounded-md px-3 py-2 text-sm font-medium ${
                  active
                    ? "bg-zinc-200 text-zinc-900 dark:bg-zinc-800 dark:text-white"
                    : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-900 dark:hover:text-white"
                }`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
