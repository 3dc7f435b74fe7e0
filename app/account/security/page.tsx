import { PageHeader } from "@/components/shell/page-header";
import { ChangePasswordForm } from "@/components/account/change-password-form";

export const metadata = { title: "Account security" };

export default function AccountSecurityPage() {
  return (
    <>
      <PageHeader title="Account security" description="Your password. Changing it signs you out of every other device." />
      <section aria-labelledby="password-heading" className="rounded-lg border border-zinc-200 bg-white p-6 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="password-heading" className="mb-4 text-lg font-semibold">Change password</h2>
        <ChangePasswordForm />
      </section>
    </>
  );
}
