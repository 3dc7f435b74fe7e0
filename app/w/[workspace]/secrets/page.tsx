import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata = { title: "Secrets" };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  await requireWorkspace((await params).workspace);
  return (
    <>
      <PageHeader title="Secrets" description="Credentials your agents reference by name." />
      <EmptyState title="No secrets yet">Secrets will be stored encrypted and referenced by name; their values never appear in logs or exports.</EmptyState>
    </>
  );
}
