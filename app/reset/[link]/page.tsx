import Link from "next/link";
import { describeResetLink, RESET_LINK_GONE } from "@/lib/recovery/describe-reset-link";
import { AuthCard } from "@/components/ui/auth-card";
import { ResetPasswordForm } from "@/components/recovery/reset-password-form";

export const metadata = { title: "Reset your password" };

const TITLES = { invalid: "Link not valid", used: "Link already used", revoked: "Link replaced", expired: "Link expired" } as const;

export default async function ResetPasswordPage({ params }: { params: Promise<{ link: string }> }) {
  const { link: raw } = await params;
  let link = "";
  try {
    link = decodeURIComponent(raw);
  } catch {
    // A malformed escape is just another link that is not valid.
  }
  const state = await describeResetLink(link);
  if (state.status !== "open") {
    return (
      <AuthCard title={TITLES[state.status]} subtitle={RESET_LINK_GONE[state.status]}>
        <Link href="/sign-in" className="text-sm font-medium text-indigo-600 underline">
          Go to sign-in
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password" subtitle={`For ${state.email}. Setting it signs this account out of every device.`}>
      <ResetPasswordForm link={link} />
    </AuthCard>
  );
}
