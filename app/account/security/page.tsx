import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/current-session";
import { getMfaStatus } from "@/lib/mfa/manage-mfa";
import { getPendingEnrollment } from "@/lib/mfa/enrollment";
import { PageHeader } from "@/components/shell/page-header";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { DeleteAccountForm } from "@/components/account/delete-account-form";
import { MfaSettings } from "@/components/mfa/mfa-settings";
import { FormAlert } from "@/components/ui/form-alert";
import { AccountEventList } from "@/components/account/account-event-list";
import { listMyAccountEvents } from "@/lib/audit/list-my-account-events";
import { enrollmentReturn } from "@/lib/mfa/enrollment-return";

export const metadata = { title: "Account security" };

export default async function AccountSecurityPage({ searchParams }: { searchParams: Promise<{ required?: string | string[]; next?: string | string[] }> }) {
  const session = await getCurrentSession();
  if (!session) redirect("/sign-in?next=/account/security");
  const { required, next } = await searchParams;
  const status = await getMfaStatus(session.user.id);
  const enrollment = status.pending ? await getPendingEnrollment(session.user.id, session.user.email) : null;
  const events = await listMyAccountEvents(session.user.id);
  // Sent here by a workspace whose policy requires MFA: name it, and lead back to the page that was opened.
  const returnTo = await enrollmentReturn(session.user.id, required, next);
  return (
    <>
      <PageHeader title="Account security" description="Your password, two-factor authentication and recent security events." />
      <div className="space-y-6">
        {returnTo && !status.enabled ? <FormAlert message={`${returnTo.workspaceName} requires two-factor authentication. Set it up to continue; you will return to the page you opened.`} /> : null}
        <section aria-labelledby="mfa-heading" className="rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="mfa-heading" className="mb-4 text-lg font-semibold">
            Two-factor authentication
          </h2>
          <MfaSettings status={status} enrollment={enrollment} returnTo={returnTo} />
        </section>
        <section aria-labelledby="password-heading" className="rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="password-heading" className="mb-4 text-lg font-semibold">
            Change password
          </h2>
          <ChangePasswordForm />
        </section>
        <section aria-labelledby="events-heading" className="rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="events-heading" className="mb-1 text-lg font-semibold">
            Recent security events
          </h2>
          <p className="mb-4 text-sm text-zinc-500">Sign-ins, refusals, lockouts and changes to your password, two-factor authentication and sessions. Only you see these; workspace admins do not.</p>
          <AccountEventList events={events} />
        </section>
        <section aria-labelledby="delete-account-heading" className="rounded-lg border border-red-300 bg-white p-6 dark:border-red-900 dark:bg-zinc-900">
          <h2 id="delete-account-heading" className="mb-4 text-lg font-semibold text-red-700 dark:text-red-400">
            Delete account
          </h2>
          <DeleteAccountForm email={session.user.email} mfaEnabled={status.enabled} />
        </section>
      </div>
    </>
  );
}
