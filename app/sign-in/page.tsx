import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/current-session";
import { isSetupOpen } from "@/lib/setup/is-setup-open";
import { safeReturnPath } from "@/lib/security/safe-return-path";
import { AuthCard } from "@/components/ui/auth-card";
import { FormAlert } from "@/components/ui/form-alert";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata = { title: "Sign in" };

// Why a signed-in visitor was sent back here (lib/workspaces/require-workspace.ts).
const REASONS: Record<string, string> = {
  mfa: "This workspace requires two-factor authentication, and this session signed in without it. Sign in again with your code.",
};

type Params = { next?: string | string[]; reason?: string | string[] };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  // A repeated parameter arrives as an array: it is no return path.
  const next = safeReturnPath(params.next, "/");
  const reason = typeof params.reason === "string" && Object.hasOwn(REASONS, params.reason) ? params.reason : null;
  const session = await getCurrentSession();
  // A session sent back for a stronger sign-in stays here until it has one.
  if (session && !(reason === "mfa" && !session.mfaVerifiedAt)) redirect(next);
  if (await isSetupOpen()) redirect("/setup");
  return (
    <AuthCard title="Sign in" subtitle="Use the email and password of your Warden account.">
      {reason ? <FormAlert tone="success" message={REASONS[reason]} /> : null}
      <SignInForm next={next} />
    </AuthCard>
  );
}
