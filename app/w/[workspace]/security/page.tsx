import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata = { title: "Security" };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  await requireWorkspace((await params).workspace);
  return (
    <>
      <PageHeader title="Security" description="Sign-in, sessions and MFA policy for this workspace." />
      <EmptyState title="Security controls are on their way">Session revocation and MFA policies will be managed here.</EmptyState>
    </>
  );
}
