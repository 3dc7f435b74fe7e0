import { notFound } from "next/navigation";
import { isSetupOpen } from "@/lib/setup/is-setup-open";
import { AuthCard } from "@/components/ui/auth-card";
import { SetupForm } from "@/components/setup/setup-form";

export const metadata = { title: "Set up" };

export default async function SetupPage() {
  if (!(await isSetupOpen())) notFound();
  return (
    <AuthCard title="Set up Warden" subtitle="Create the first owner account and workspace.">
      <SetupForm />
    </AuthCard>
  );
}
