import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";

/** A disclosure built on <details>: it opens with Enter or Space. */
export function UserMenu({ name, email }: { name: string; email: string }) {
  return (
    <details className="group relative shrink-0">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
        <span className="flex size-7 items-center justify-center rounded-full bg-indigo-600 text-xs font-semibold text-white" aria-hidden>
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span className="hidden max-w-48 truncate font-medium sm:inline">{name}</span>
        <span className="sr-only">Open user menu</span>
      </summary>
      <div className="absolute right-0 z-10 mt-1 w-60 max-w-[calc(100vw-2rem)] rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
        <p className="truncate px-3 pt-2 text-sm font-medium">{name}</p>
        <p className="truncate px-3 pb-2 text-xs text-zinc-500">{email}</p>
        <Link href="/account/security" className="block rounded px-3 py-2 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
          Account security
        </Link>
        <Link href="/account/sessions" className="block rounded px-3 py-2 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
          Your sessions
        </Link>
        <SignOutButton />
      </div>
    </details>
  );
}
