import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/current-session";
import { TopBar } from "@/components/shell/top-bar";
import { SecurityNotices } from "@/components/shell/security-notices";

export default async function AccountLayout({ children }: { children: React.ReactNode }) {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in?next=/account/sessions");
  return (
    <div className="min-h-screen">
      <TopBar user={session.user}>
        <nav aria-label="Account" className="flex gap-1 text-sm">
          <Link href="/account/sessions" className="rounded-md px-2.5 py-1.5 hover:bg-zinc-100 sm:px-3 dark:hover:bg-zinc-800">
            Sessions
          </Link>
          <Link href="/account/security" className="rounded-md px-2.5 py-1.5 hover:bg-zinc-100 sm:px-3 dark:hover:bg-zinc-800">
            Security
          </Link>
        </nav>
      </TopBar>
      <SecurityNotices userId={session.user.id} />
      <main id="main" className="mx-auto max-w-5xl px-4 py-6 sm:px-6 sm:py-8">
        {children}
      </main>
    </div>
  );
}
