import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/current-session";
import { isSetupOpen } from "@/lib/setup/is-setup-open";
import { safeReturnPath } from "@/lib/security/safe-return-path";
import { AuthCard } from "@/components/ui/auth-card";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeReturnPath((await searchParams).next, "/");
  if (await getCurrentSession()) redirect(next);
  if (await isSetupOpen()) redirect("/setup");
  return (
    <AuthCard title="Sign in" subtitle="Use the email and password of your Warden account.">
      <SignInForm next={next} />
    </AuthCard>
  );
}
