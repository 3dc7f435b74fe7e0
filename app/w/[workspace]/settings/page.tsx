import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { can } from "@/lib/authz/capabilities";
import { getWorkspaceSettings } from "@/lib/workspaces/get-workspace-settings";
import { PageHeader } from "@/components/shell/page-header";
import { FormAlert } from "@/components/ui/form-alert";
import { WorkspaceSettingsForms } from "@/components/workspaces/workspace-settings-forms";
import { WorkspaceSettingsSummary } from "@/components/workspaces/workspace-settings-summary";
import { DeleteWorkspaceSection } from "@/components/workspaces/delete-workspace-section";

export const metadata = { title: "Settings" };

export default async function Page({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<{ "moved-from"?: string | string[] }> }) {
  const { session, membership } = await requireWorkspace((await params).workspace);
  const settings = await getWorkspaceSettings(membership.workspaceId);
  const movedFrom = (await searchParams)["moved-from"];
  const canUpdate = can(membership.role, "workspace.update");
  return (
    <>
      <PageHeader title="Settings" description="Name, address, time zone and data protection of this workspace." />
      <div className="space-y-6">
        {typeof movedFrom === "string" && /^[a-z0-9-]{1,48}$/.test(movedFrom) ? (
          <FormAlert tone="success" message={`The workspace's address is now /w/${settings.slug}. Links to /w/${movedFrom}/… answer 404.`} />
        ) : null}
        {canUpdate ? <WorkspaceSettingsForms workspace={membership.slug} settings={settings} /> : <WorkspaceSettingsSummary settings={settings} role={membership.role} />}
        {can(membership.role, "workspace.delete") ? <DeleteWorkspaceSection workspace={membership.slug} name={membership.name} mfaEnabled={session.user.mfaEnabled} /> : null}
      </div>
    </>
  );
}
