import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/current-session";
import { UserMenu } from "@/components/shell/user-menu";
import { SecurityNotices } from "@/components/shell/security-notices";

export default async function AccountLayout({ children }: { children: React.ReactNode }) {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in?next=/account/sessions");
  return (
    <div className="min-h-screen">
      <header className="flex items-center justify-between border-b border-zinc-200 bg-white px-6 py-3 dark:border-zinc-800 dark:bg-zinc-950">
        <div className="flex items-center gap-6">
          <Link href="/" className="text-lg font-semibold tracking-tight">Warden</Link>
          <nav aria-label="Account" className="flex gap-1 text-sm">
            <Link href="/account/sessions" className="rounded-md px-3 py-1.5 hover:bg-zinc-100 dark:hover:bg-zinc-800">Sessions</Link>
            <Link href="/account/security" className="rounded-md px-3 py-1.5 hover:bg-zinc-100 dark:hover:bg-zinc-800">Security</Link>
          </nav>
        </div>
        <UserMenu name={session.user.name} email={session.user.email} />
      </header>
      <SecurityNotices userId={session.user.id} />
      <main id="main" className="mx-auto max-w-5xl px-6 py-8">{children}</main>
    </div>
  );
}
