import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/current-session";
import { listMyWorkspaces } from "@/lib/workspaces/list-my-workspaces";
import { isSetupOpen } from "@/lib/setup/is-setup-open";
import { EmptyState } from "@/components/ui/empty-state";

export default async function Home() {
  const session = await getCurrentSession();
  if (!session) redirect((await isSetupOpen()) ? "/setup" : "/sign-in");
  const workspaces = await listMyWorkspaces(session.user.id);
  if (workspaces.length > 0) redirect(`/w/${workspaces[0].slug}`);
  return (
    <main className="mx-auto max-w-xl p-10">
      <EmptyState title="You are not in any workspace yet">
        Ask a workspace owner or admin to invite you. Invitations arrive as a link.
      </EmptyState>
    </main>
  );
}
