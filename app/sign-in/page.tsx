import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/current-session";
import { isSetupOpen } from "@/lib/setup/is-setup-open";
import { safeReturnPath } from "@/lib/security/safe-return-path";
import { AuthCard } from "@/components/ui/auth-card";
import { FormAlert } from "@/components/ui/form-alert";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SIGN_IN_REASONS, signInReason } from "@/lib/auth/sign-in-reasons";

export const metadata = { title: "Sign in" };

type Params = { next?: string | string[]; reason?: string | string[] };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  // A repeated parameter arrives as an array: it is no return path.
  const next = safeReturnPath(params.next, "/");
  // Why the visitor is here (a session ended, or a stronger sign-in asked for), as a code set by middleware.ts.
  const reason = signInReason(params.reason);
  const session = await getCurrentSession();
  // A session sent back for a stronger sign-in stays here until it has one.
  if (session && !(reason === "mfa" && !session.mfaVerifiedAt)) redirect(next);
  if (await isSetupOpen()) redirect("/setup");
  return (
    <AuthCard title="Sign in" subtitle="Use the email and password of your Warden account.">
      {reason ? <FormAlert tone="info" message={SIGN_IN_REASONS[reason]} /> : null}
      <SignInForm next={next} />
    </AuthCard>
  );
}
