import Link from "next/link";
import { getCurrentSession } from "@/lib/auth/current-session";
import { describeInvitation } from "@/lib/members/accept-invitation";
import { AuthCard } from "@/components/ui/auth-card";
import { AcceptInvitationForm } from "@/components/members/accept-invitation-form";

export const metadata = { title: "Invitation" };

export default async function InvitationPage({ params }: { params: Promise<{ link: string }> }) {
  const { link } = await params;
  const invitation = await describeInvitation(decodeURIComponent(link));
  if (!invitation) {
    return (
      <AuthCard title="Invitation not valid" subtitle="It was used, revoked or has expired. Ask the person who invited you for a new link.">
        <Link href="/" className="text-sm font-medium text-indigo-600 underline">
          Go to Warden
        </Link>
      </AuthCard>
    );
  }
  const session = await getCurrentSession();
  const here = `/invite/${link}`;
  const title = `Join ${invitation.workspace.name}`;
  const subtitle = `You are invited as ${invitation.role}, for ${invitation.email}.`;
  if (session && session.user.email !== invitation.email) {
    return (
      <AuthCard title={title} subtitle={subtitle}>
        <p className="text-sm">
          You are signed in as {session.user.email}. Sign out and sign in as {invitation.email} to accept.
        </p>
      </AuthCard>
    );
  }
  if (!session && invitation.hasAccount) {
    return (
      <AuthCard title={title} subtitle={subtitle}>
        <Link href={`/sign-in?next=${encodeURIComponent(here)}`} className="text-sm font-medium text-indigo-600 underline">
          Sign in as {invitation.email} to accept
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={title} subtitle={subtitle}>
      <AcceptInvitationForm link={decodeURIComponent(link)} newAccount={!session} />
    </AuthCard>
  );
}
