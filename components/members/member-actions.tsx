"use client";

import { changeMemberRole } from "@/lib/actions/members/change-member-role";
import { removeMember } from "@/lib/actions/members/remove-member";
import { transferOwnership } from "@/lib/actions/members/transfer-ownership";
import { can, ROLES, ROLE_RANK } from "@/lib/authz/capabilities";
import type { Role } from "@/lib/generated/prisma/enums";
import { useStepUpAction } from "@/components/mfa/use-step-up-action";
import { StepUpPrompt } from "@/components/mfa/step-up-prompt";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Button } from "@/components/ui/button";
import { IssueResetLink } from "@/components/recovery/issue-reset-link";

type Props = {
  workspace: string;
  member: { userId: string; email: string; role: Role };
  viewer: { userId: string; role: Role; mayChangeRoles: boolean; mayRemove: boolean; mayTransfer: boolean };
};

/** The controls the viewer's role allows on one member; the server checks every one again. */
export function MemberActions({ workspace, member, viewer }: Props) {
  const role = useStepUpAction(changeMemberRole);
  const remove = useStepUpAction(removeMember);
  const transfer = useStepUpAction(transferOwnership);
  const self = member.userId === viewer.userId;
  const touchable = !self && (member.role !== "owner" || viewer.role === "owner");
  const grantable = ROLES.filter((r) => ROLE_RANK[r] <= ROLE_RANK[viewer.role]);
  const mayRecover = can(viewer.role, "members.recover");
  const states = [role, remove, transfer];
  const stepUp = states.find((s) => s.stepUp)?.stepUp;
  const error = states.map((s) => (s.state.status === "error" && !s.needsStepUp ? s.state.error : null)).find(Boolean);

  if (!touchable || !(viewer.mayChangeRoles || viewer.mayRemove || viewer.mayTransfer || mayRecover)) return null;
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      {viewer.mayChangeRoles ? (
        <form action={role.submit} className="flex items-center gap-1">
          <input type="hidden" name="workspace" value={workspace} />
          <input type="hidden" name="userId" value={member.userId} />
          <input type="hidden" name="expectedRole" value={member.role} />
          <label className="sr-only" htmlFor={`role-${member.userId}`}>Role for {member.email}</label>
          <select id={`role-${member.userId}`} name="role" defaultValue={member.role} className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900">
            {grantable.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
          <Button type="submit" variant="secondary" pending={role.pending}>Change role</Button>
        </form>
      ) : null}
      {viewer.mayRemove ? (
        <ConfirmDialog trigger="Remove" title={`Remove ${member.email}?`} confirmLabel="Remove member" action={remove.submit} hidden={{ workspace, userId: member.userId }} pending={remove.pending}>
          They lose access to this workspace at their next request. Their audit history stays.
        </ConfirmDialog>
      ) : null}
      {mayRecover ? <IssueResetLink workspace={workspace} member={member} /> : null}
      {viewer.mayTransfer ? (
        <ConfirmDialog trigger="Make owner" tone="primary" title={`Transfer ownership to ${member.email}?`} confirmLabel="Transfer ownership" action={transfer.submit} hidden={{ workspace, userId: member.userId }} pending={transfer.pending}>
          {member.email} becomes an owner and you become an admin.
        </ConfirmDialog>
      ) : null}
      {stepUp ? <StepUpPrompt {...stepUp} /> : null}
      {error ? <p role="alert" className="w-full text-right text-sm text-red-600 dark:text-red-400">{error}</p> : null}
    </div>
  );
}
