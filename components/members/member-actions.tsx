"use client";

import { useEffect, useRef, useState } from "react";
import { changeMemberRole } from "@/lib/actions/members/change-member-role";
import { removeMember } from "@/lib/actions/members/remove-member";
import { transferOwnership } from "@/lib/actions/members/transfer-ownership";
import type { ActionState } from "@/lib/actions/action-state";
import { can, ROLES, ROLE_RANK } from "@/lib/authz/capabilities";
import type { Role } from "@/lib/generated/prisma/enums";
import { useStepUpAction } from "@/components/mfa/use-step-up-action";
import { StepUpPrompt } from "@/components/mfa/step-up-prompt";
import { ActionMenu, type ActionMenuItem } from "@/components/ui/action-menu";
import { IssueResetLink } from "@/components/recovery/issue-reset-link";
import { announceMemberChange } from "./member-notice";
import { ChangeRoleDialog } from "./change-role-dialog";
import { MemberDialog } from "./member-dialog";
import { withArticle } from "./role-words";

type Props = {
  workspace: string;
  member: { userId: string; name: string; email: string; role: Role };
  viewer: { userId: string; role: Role; mayChangeRoles: boolean; mayRemove: boolean; mayTransfer: boolean };
};

type RowDialog = "role" | "transfer" | "remove" | "reset";

type Action<T> = (previous: ActionState<T>, form: FormData) => Promise<ActionState<T>>;

/**
 * The answer goes above the table (the row may be gone, as after a removal); a
 * refusal for want of a fresh MFA check is the prompt's to show, not an error.
 */
function told<T>(action: Action<T>, success: (data: T) => string): Action<T> {
  return async (previous, form) => {
    const result = await action(previous, form);
    if (result.status === "ok") announceMemberChange({ tone: "ok", text: success(result.data) });
    else if (result.status === "error" && result.code !== "step_up_required") announceMemberChange({ tone: "error", text: result.error });
    return result;
  };
}

/**
 * One "…" menu per row with what the viewer's role allows on this member; the
 * server checks every one again. Each choice opens a confirmation naming the
 * person; an action the server refuses for want of a fresh MFA check asks for a
 * code and then runs (useStepUpAction), even if the page refreshed meanwhile.
 */
export function MemberActions({ workspace, member, viewer }: Props) {
  const who = member.name || member.email;
  const role = useStepUpAction(told(changeMemberRole, (data: { role: Role }) => `${who} is now ${withArticle(data.role)}.`));
  const remove = useStepUpAction(told(removeMember, () => `${who} was removed from the workspace.`));
  const transfer = useStepUpAction(told(transferOwnership, () => `Ownership transferred: ${who} is now an owner, and you are an admin.`));
  const roleDialog = useRef<HTMLDialogElement>(null);
  const removeDialog = useRef<HTMLDialogElement>(null);
  const transferDialog = useRef<HTMLDialogElement>(null);
  const resetLink = useRef<{ open: () => void }>(null);
  // A row's dialogs are mounted the first time one is chosen, not with the page: a page
  // of members would otherwise render four dialogs per row that nobody opened.
  const [mounted, setMounted] = useState<ReadonlySet<RowDialog>>(() => new Set());
  const [opening, setOpening] = useState<RowDialog | null>(null);
  useEffect(() => {
    if (!opening) return;
    if (opening === "reset") resetLink.current?.open();
    else ({ role: roleDialog, transfer: transferDialog, remove: removeDialog })[opening].current?.showModal();
    setOpening(null);
  }, [opening]);
  const show = (dialog: RowDialog) => {
    setMounted((current) => (current.has(dialog) ? current : new Set(current).add(dialog)));
    setOpening(dialog);
  };

  const self = member.userId === viewer.userId;
  const touchable = !self && (member.role !== "owner" || viewer.role === "owner");
  const grantable = ROLES.filter((r) => ROLE_RANK[r] <= ROLE_RANK[viewer.role]);
  const mayRecover = can(viewer.role, "members.recover");
  const stepUp = [role, remove, transfer].find((s) => s.stepUp)?.stepUp;
  if (!touchable) return null;

  const items: ActionMenuItem[] = [];
  if (viewer.mayChangeRoles) items.push({ label: "Change role…", onSelect: () => show("role") });
  if (viewer.mayTransfer && member.role !== "owner") items.push({ label: "Make owner…", onSelect: () => show("transfer") });
  if (mayRecover) items.push({ label: "Issue reset link…", onSelect: () => show("reset") });
  if (viewer.mayRemove) items.push({ label: "Remove…", onSelect: () => show("remove"), tone: "danger" });
  if (items.length === 0) return null;

  const target = { workspace, userId: member.userId };
  const busy = role.pending || remove.pending || transfer.pending;
  return (
    <div className="flex items-center justify-end gap-2" aria-busy={busy || undefined}>
      {busy ? <span className="size-3.5 animate-spin rounded-full border-2 border-zinc-400 border-t-transparent" aria-hidden /> : null}
      <ActionMenu label={`Actions for ${who}`} items={items} />
      {viewer.mayChangeRoles && mounted.has("role") ? (
        <ChangeRoleDialog key={member.role} dialog={roleDialog} workspace={workspace} member={{ ...member, name: who }} roles={grantable} onConfirm={role.submit} />
      ) : null}
      {viewer.mayTransfer && mounted.has("transfer") ? (
        <MemberDialog dialog={transferDialog} tone="primary" title={`Make ${who} the owner?`} confirmLabel="Transfer ownership" hidden={target} onConfirm={transfer.submit}>
          {who} ({member.email}) becomes an owner and you become an admin.
        </MemberDialog>
      ) : null}
      {viewer.mayRemove && mounted.has("remove") ? (
        <MemberDialog dialog={removeDialog} title={`Remove ${who}?`} confirmLabel="Remove member" hidden={target} onConfirm={remove.submit}>
          {who} ({member.email}) loses access to this workspace at their next request. Their audit history stays.
        </MemberDialog>
      ) : null}
      {mayRecover && mounted.has("reset") ? <IssueResetLink workspace={workspace} member={member} opener={resetLink} /> : null}
      {stepUp ? <StepUpPrompt {...stepUp} /> : null}
    </div>
  );
}
