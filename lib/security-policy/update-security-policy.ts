import { z } from "zod";
import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { ValidSession } from "../auth/sessions/check-session";
import { MFA_POLICIES, mfaRequiredFor } from "../mfa/mfa-policy";

export const securityPolicySchema = z.object({
  mfaPolicy: z.enum(MFA_POLICIES, "Choose who must use MFA"),
  stepUpRequired: z.enum(["on"]).optional(),
  stepUpWindowMinutes: z.coerce.number("Enter a number of minutes").int("Use whole minutes").min(1, "At least 1 minute").max(60, "At most 60 minutes"),
});

/** Changes the workspace's MFA and step-up policy, audited with before and after. */
export async function updateSecurityPolicy(tx: Tx, options: { workspaceId: string; input: z.output<typeof securityPolicySchema>; session: ValidSession; actor: AuditActor; context: RequestContext }) {
  const { workspaceId, input, session } = options;
  if (mfaRequiredFor(input.mfaPolicy, "owner") && !session.user.mfaEnabled) {
    throw new AppError("conflict", "Set up two-factor authentication for yourself before requiring it of owners, or you would lock yourself out.");
  }
  if (input.stepUpRequired && !session.user.mfaEnabled) {
    throw new AppError("conflict", "Set up two-factor authentication for yourself before requiring step-up checks.");
  }
  const before = await tx.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { mfaPolicy: true, stepUpRequired: true, stepUpWindowMinutes: true },
  });
  const after = { mfaPolicy: input.mfaPolicy, stepUpRequired: input.stepUpRequired === "on", stepUpWindowMinutes: input.stepUpWindowMinutes };
  await tx.workspace.update({ where: { id: workspaceId }, data: after });
  await recordAuditEvent(tx, {
    workspaceId,
    actor: options.actor,
    action: "security.policy_changed",
    target: { type: "workspace", id: workspaceId },
    metadata: { before, after },
    context: options.context,
  });
  return after;
}
