import { requireWorkspace } from "@/lib/workspaces/require-workspace";
import { can } from "@/lib/authz/capabilities";
import { getRevocationPreview } from "@/lib/auth/sessions/get-revocation-preview";
import { listLockedMembers } from "@/lib/members/list-locked-members";
import { previewMfaPolicy } from "@/lib/security-policy/preview-mfa-policy";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { RevokeAllSessions } from "@/components/security/revoke-all-sessions";
import { LockedMembers } from "@/components/security/locked-members";
import { SecurityPolicyForm } from "@/components/security/security-policy-form";

export const metadata = { title: "Security" };

export default async function SecurityPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { session, membership } = await requireWorkspace((await params).workspace);
  const canRevoke = can(membership.role, "sessions.revoke_all");
  const canUnlock = can(membership.role, "members.unlock");
  const canManage = can(membership.role, "security.manage");
  const [preview, locked, enrollmentPreview] = await Promise.all([
    canRevoke ? getRevocationPreview(membership.workspaceId, session.sessionId) : null,
    canUnlock ? listLockedMembers(membership.workspaceId) : null,
    canManage ? previewMfaPolicy(membership.workspaceId, membership.policy.mfa) : null,
  ]);
  return (
    <>
      <PageHeader title="Security" description="Sessions and sign-in protection for this workspace." />
      <div className="space-y-6">
        {enrollmentPreview ? <SecurityPolicyForm workspace={membership.slug} policy={membership.policy} preview={enrollmentPreview} /> : null}
        {locked ? <LockedMembers workspace={membership.slug} locked={locked} /> : null}
        {preview ? <RevokeAllSessions workspace={membership.slug} preview={preview} /> : null}
        {!preview && !locked ? (
          <EmptyState title="Nothing to manage here with your role">
            Workspace owners and admins manage sessions and locked accounts. Your own sessions are under Your sessions in the user menu.
          </EmptyState>
        ) : null}
      </div>
    </>
  );
}
