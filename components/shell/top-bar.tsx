import Link from "next/link";
import { UserMenu } from "./user-menu";

/**
 * The header of every page outside a workspace (account pages, no workspace, not
 * found): the way home, the person's account and Sign out are always there.
 */
export function TopBar({ user, children }: { user: { name: string; email: string }; children?: React.ReactNode }) {
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-zinc-900">
        Skip to content
      </a>
      <header className="flex items-center justify-between gap-3 border-b border-zinc-200 bg-white px-4 py-3 sm:px-6 dark:border-zinc-800 dark:bg-zinc-950">
        <div className="flex min-w-0 items-center gap-3 sm:gap-6">
          <Link href="/" className="text-lg font-semibold tracking-tight">
            Warden
          </Link>
          {children}
        </div>
        <UserMenu name={user.name} email={user.email} />
      </header>
    </>
  );
}
