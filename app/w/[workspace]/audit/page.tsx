import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata = { title: "Audit log" };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  await requireWorkspace((await params).workspace);
  return (
    <>
      <PageHeader title="Audit log" description="Every change in this workspace, append-only." />
      <EmptyState title="The audit log viewer is on its way">Every change is already being recorded. Filtering and export will appear here.</EmptyState>
    </>
  );
}
