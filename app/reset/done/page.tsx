import Link from "next/link";
import { AuthCard } from "@/components/ui/auth-card";

export const metadata = { title: "Password set" };

export default async function ResetDonePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { mfa } = await searchParams;
  return (
    <AuthCard title="Password set" subtitle="Your new password is set and every device was signed out.">
      {mfa === "cleared" ? <p className="text-sm">Two-factor authentication was cleared: set it up again under Account → Security after you sign in.</p> : null}
      <Link href="/sign-in" className="text-sm font-medium text-indigo-600 underline">
        Sign in with your new password
      </Link>
    </AuthCard>
  );
}
