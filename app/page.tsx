import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/current-session";
import { listMyWorkspaces } from "@/lib/workspaces/list-my-workspaces";
import { mayCreateWorkspace } from "@/lib/workspaces/may-create-workspace";
import { isSetupOpen } from "@/lib/setup/is-setup-open";
import { TopBar } from "@/components/shell/top-bar";
import { SecurityNotices } from "@/components/shell/security-notices";
import { NoWorkspace } from "@/components/shell/no-workspace";

export default async function Home() {
  const session = await getCurrentSession();
  if (!session) redirect((await isSetupOpen()) ? "/setup" : "/sign-in");
  const workspaces = await listMyWorkspaces(session.user.id);
  if (workspaces.length > 0) redirect(`/w/${workspaces[0].slug}`);
  return (
    <div className="min-h-screen">
      <TopBar user={session.user} />
      <SecurityNotices userId={session.user.id} />
      <main id="main" className="mx-auto max-w-xl px-4 py-10 sm:px-6">
        <NoWorkspace title="You are not in any workspace" workspaces={[]} canCreate={await mayCreateWorkspace(session.user.id)} />
      </main>
    </div>
  );
}
