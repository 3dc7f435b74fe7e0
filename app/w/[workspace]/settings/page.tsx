import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata = { title: "Settings" };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  await requireWorkspace((await params).workspace);
  return (
    <>
      <PageHeader title="Settings" description="Name and lifecycle of this workspace." />
      <EmptyState title="Settings are on their way">Renaming and deleting the workspace will be available here.</EmptyState>
    </>
  );
}
