import Link from "next/link";
import { getCurrentSession } from "@/lib/auth/current-session";
import { listMyWorkspaces } from "@/lib/workspaces/list-my-workspaces";
import { TopBar } from "@/components/shell/top-bar";
import { NoWorkspace } from "@/components/shell/no-workspace";

// Also what a workspace's pages answer to someone who is not (or no longer) a
// member: the same words as for one that does not exist, so none leaks.
export default async function NotFound() {
  const session = await getCurrentSession();
  if (session) {
    const workspaces = await listMyWorkspaces(session.user.id);
    return (
      <div className="min-h-screen">
        <TopBar user={session.user} />
        <main id="main" className="mx-auto max-w-xl px-4 py-10 sm:px-6">
          <p className="mb-2 text-center text-sm font-semibold text-indigo-600 dark:text-indigo-400">404</p>
          <NoWorkspace title="This page does not exist, or you are not a member of its workspace" workspaces={workspaces} />
        </main>
      </div>
    );
  }
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 p-8 text-center">
      <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">404</p>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">It does not exist, or you do not have access to it.</p>
      <Link href="/" className="text-sm font-medium text-indigo-700 underline dark:text-indigo-400">
        Go to your workspaces
      </Link>
    </main>
  );
}
