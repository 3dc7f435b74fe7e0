import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/current-session";
import { listMySessions } from "@/lib/auth/sessions/list-my-sessions";
import { PageHeader } from "@/components/shell/page-header";
import { SessionList } from "@/components/account/session-list";

export const metadata = { title: "Your sessions" };

export default async function SessionsPage() {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in?next=/account/sessions");
  const sessions = await listMySessions(session.user.id, session.sessionId);
  return (
    <>
      <PageHeader title="Your sessions" description="Everywhere you are signed in. Revoke any you do not recognise; it ends at its next request." />
      <SessionList sessions={sessions} />
    </>
  );
}
