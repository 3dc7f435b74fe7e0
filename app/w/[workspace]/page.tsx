import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { getOverview } from "@/lib/workspaces/get-overview";
import { can } from "@/lib/authz/capabilities";
import { mfaRequiredFor } from "@/lib/mfa/mfa-policy";
import { PageHeader } from "@/components/shell/page-header";
import { OverviewStats } from "@/components/overview/overview-stats";
import { EnrollPrompt } from "@/components/overview/enroll-prompt";
import { MfaStatus } from "@/components/overview/mfa-status";
import { RecentEvents } from "@/components/overview/recent-events";
import { SecretsAttention } from "@/components/overview/secrets-attention";
import { UsageGlance } from "@/components/overview/usage-glance";

export const metadata = { title: "Overview" };

export default async function OverviewPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { session, membership } = await requireWorkspace((await params).workspace);
  const overview = await getOverview({
    workspaceId: membership.workspaceId,
    policy: membership.policy.mfa,
    includeEvents: can(membership.role, "audit.read"),
    includeSecrets: can(membership.role, "secrets.read_metadata"),
    includeUsage: can(membership.role, "usage.read"),
  });
  return (
    <>
      <PageHeader title={membership.name} description="The state of this workspace at a glance." />
      <div className="space-y-6">
        {session.user.mfaEnabled ? null : <EnrollPrompt workspace={membership.name} required={mfaRequiredFor(membership.policy.mfa, membership.role)} />}
        <OverviewStats members={overview.members} withMfa={overview.withMfa} role={membership.role} />
        <MfaStatus slug={membership.slug} policy={membership.policy.mfa} lacking={overview.lackingMfa} mayManage={can(membership.role, "security.manage")} />
        {overview.usage ? <UsageGlance slug={membership.slug} usage={overview.usage} /> : null}
        {overview.secrets ? <SecretsAttention slug={membership.slug} attention={overview.secrets} /> : null}
        {overview.recentEvents ? <RecentEvents slug={membership.slug} events={overview.recentEvents} /> : null}
      </div>
    </>
  );
}
