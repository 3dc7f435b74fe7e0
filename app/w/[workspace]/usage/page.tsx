import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata = { title: "Usage" };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  await requireWorkspace((await params).workspace);
  return (
    <>
      <PageHeader title="Usage" description="What your AI agents spend, and their caps." />
      <EmptyState title="No usage yet">When your agents report their spend, it will appear here with their daily caps.</EmptyState>
    </>
  );
}
