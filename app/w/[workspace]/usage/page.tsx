import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { can } from "@/lib/authz/capabilities";
import { getUsagePage } from "@/lib/usage/get-usage-page";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { AgentsSection } from "@/components/agents/agents-section";
import { ModelPricesSection } from "@/components/agents/model-prices-section";
import { WorkspaceUsageSection } from "@/components/usage/workspace-usage-section";

export const metadata = { title: "Usage" };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  const { membership } = await requireWorkspace((await params).workspace);
  if (!can(membership.role, "usage.read")) {
    return (
      <>
        <PageHeader title="Usage" description="What your AI agents spend, and their caps." />
        <EmptyState title="Your role does not see usage">Ask an owner or an admin.</EmptyState>
      </>
    );
  }
  const usage = await getUsagePage({ workspaceId: membership.workspaceId });
  return (
    <>
      <PageHeader title="Usage" description="What your AI agents spend, and their caps." />
      <div className="space-y-10">
        <WorkspaceUsageSection workspace={membership.slug} usage={usage} />
        <AgentsSection
          workspace={membership.slug}
          agents={usage.agents}
          trends={usage.trends}
          workspaceTimeZone={usage.workspaceTimeZone}
          canManage={can(membership.role, "agents.manage")}
          canBudget={can(membership.role, "budgets.write")}
        />
        <ModelPricesSection workspace={membership.slug} prices={usage.prices} canEdit={can(membership.role, "budgets.write")} />
      </div>
    </>
  );
}
