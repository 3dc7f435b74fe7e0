import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { can } from "@/lib/authz/capabilities";
import { getUsageAgentsPage } from "@/lib/agents/get-usage-agents-page";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { AgentsSection } from "@/components/agents/agents-section";
import { ModelPricesSection } from "@/components/agents/model-prices-section";

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
  const { agents, prices, workspaceTimeZone } = await getUsageAgentsPage(membership.workspaceId);
  return (
    <>
      <PageHeader title="Usage" description="What your AI agents spend, and their caps." />
      <div className="space-y-10">
        <AgentsSection
          workspace={membership.slug}
          agents={agents}
          workspaceTimeZone={workspaceTimeZone}
          canManage={can(membership.role, "agents.manage")}
          canBudget={can(membership.role, "budgets.write")}
        />
        <ModelPricesSection workspace={membership.slug} prices={prices} canEdit={can(membership.role, "budgets.write")} />
      </div>
    </>
  );
}
