"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { Role } from "@/lib/generated/prisma/enums";
import { can, type Capability } from "@/lib/authz/capabilities";

// A section is listed when the role holds any of its capabilities: a page that
// would only say "nothing here for your role" is left out. The pages still check
// on every request; this only spares people the dead end.
const ITEMS: { href: string; label: string; shownWith: Capability[] }[] = [
  { href: "", label: "Overview", shownWith: ["workspace.read"] },
  { href: "/members", label: "Members", shownWith: ["members.read"] },
  { href: "/security", label: "Security", shownWith: ["security.manage", "sessions.revoke_all", "members.unlock"] },
  { href: "/audit", label: "Audit log", shownWith: ["audit.read"] },
  { href: "/api-keys", label: "API keys", shownWith: ["api_keys.manage"] },
  { href: "/usage", label: "Usage", shownWith: ["usage.read"] },
  { href: "/secrets", label: "Secrets", shownWith: ["secrets.read_metadata"] },
  { href: "/settings", label: "Settings", shownWith: ["workspace.update"] },
];

export function SidebarNav({ slug, role }: { slug: string; role: Role }) {
  const pathname = usePathname();
  const base = `/w/${slug}`;
  return (
    <nav aria-label="Workspace">
      <ul className="space-y-0.5">
        {ITEMS.filter((item) => item.shownWith.some((capability) => can(role, capability))).map((item) => {
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
