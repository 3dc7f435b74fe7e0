import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata = { title: "Members" };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  await requireWorkspace((await params).workspace);
  return (
    <>
      <PageHeader title="Members" description="Who is in this workspace and what each person may do." />
      <EmptyState title="Member management is on its way">Soon you will invite people, change roles and remove members here. For now, this workspace's owner is its only manager.</EmptyState>
    </>
  );
}
