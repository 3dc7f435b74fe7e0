import Link from "next/link";
import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { listMyWorkspaces } from "@/lib/workspaces/list-my-workspaces";
import { mayCreateWorkspace } from "@/lib/workspaces/may-create-workspace";
import { SidebarNav } from "@/components/shell/sidebar-nav";
import { MobileNav } from "@/components/shell/mobile-nav";
import { WorkspaceSwitcher } from "@/components/shell/workspace-switcher";
import { UserMenu } from "@/components/shell/user-menu";
import { SecurityNotices } from "@/components/shell/security-notices";

export default async function WorkspaceLayout({ children, params }: { children: React.ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const { session, membership } = await requireWorkspace(workspace);
  const [workspaces, canCreate] = await Promise.all([listMyWorkspaces(session.user.id), mayCreateWorkspace(session.user.id)]);
  // The same navigation in the sidebar (wide screens) and the Menu drawer (phones).
  const navigation = (
    <>
      <Link href={`/w/${membership.slug}`} className="text-lg font-semibold tracking-tight">
        Warden
      </Link>
      <WorkspaceSwitcher current={membership.slug} workspaces={workspaces.map(({ slug, name }) => ({ slug, name }))} canCreate={canCreate} />
      <SidebarNav slug={membership.slug} role={membership.role} />
    </>
  );
  return (
    <div className="flex min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-zinc-900">
        Skip to content
      </a>
      <aside className="sticky top-0 hidden h-screen w-64 shrink-0 flex-col gap-6 overflow-y-auto border-r border-zinc-200 bg-white px-4 py-5 lg:flex dark:border-zinc-800 dark:bg-zinc-950">
        {navigation}
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <div className="flex items-center justify-between gap-3 border-b border-zinc-200 bg-white px-4 py-2.5 sm:px-6 dark:border-zinc-800 dark:bg-zinc-950">
          <div className="flex min-w-0 items-center gap-2">
            <MobileNav>{navigation}</MobileNav>
            <p className="truncate text-sm text-zinc-600 dark:text-zinc-400">
              {membership.name} · <span className="capitalize">{membership.role}</span>
            </p>
          </div>
          <UserMenu name={session.user.name} email={session.user.email} />
        </div>
        <SecurityNotices userId={session.user.id} />
        <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-6 sm:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
