import { AppError } from "../errors";
import type { Tx } from "../db/with-workspace";
import type { Role } from "../generated/prisma/enums";
import { can, ROLE_RANK } from "../authz/capabilities";
import { serializeMemberChanges } from "../members/serialize-member-changes";

async function membershipsOf(tx: Tx, userId: string) {
  // memberships_own_rows_read shows a person's rows in every workspace while
  // app.user_id names them; transaction-local, and cleared below.
  await tx.$queryRaw`SELECT set_config('app.user_id', ${userId}, true)`;
  return tx.membership.findMany({ where: { userId }, select: { workspaceId: true, role: true, workspace: { select: { name: true, mfaPolicy: true } } } });
}

/**
 * A reset link hands over the whole account, in every workspace its holder
 * belongs to, so the issuer must hold the rights over them in each one: the
 * members.recover capability there, admins not over owners, and nobody over a
 * role above their own. Otherwise an admin of one workspace could take over an
 * owner of another. With `workspaceId` (a link being used), changes to the people
 * of every workspace involved wait for this transaction (the lock role changes,
 * removals and transfers take, in one order), so the rights read here are the
 * rights when it commits; and the person must still belong to the workspace that
 * issued it: leaving it ends what its admins may do for them.
 * Returns the person's memberships (for the MFA policy).
 */
export async function assertMayRecover(tx: Tx, options: { issuerId: string; userId: string; workspaceId?: string }) {
  if (options.issuerId === options.userId) {
    throw new AppError("forbidden", "You cannot issue a reset link for yourself. Change your password under Account → Security.");
  }
  if (options.workspaceId) {
    // Only when a link is used: issuing runs inside an action that already holds its
    // actor's membership FOR SHARE, and taking these locks after that row could
    // deadlock with a role change; the use re-checks everything anyway.
    const involved = new Set((await membershipsOf(tx, options.userId)).map((m) => m.workspaceId)).add(options.workspaceId);
    for (const workspaceId of [...involved].sort()) await serializeMemberChanges(tx, workspaceId);
  }
  const theirs = await membershipsOf(tx, options.userId);
  if (options.workspaceId && !theirs.some((m) => m.workspaceId === options.workspaceId)) {
    throw new AppError("forbidden", "This person no longer belongs to the workspace that issued the link.");
  }
  const issuers = new Map<string, Role>((await membershipsOf(tx, options.issuerId)).map((m) => [m.workspaceId, m.role]));
  await tx.$queryRaw`SELECT set_config('app.user_id', '', true)`;
  for (const membership of theirs) {
    const issuerRole = issuers.get(membership.workspaceId);
    const allowed = issuerRole !== undefined && can(issuerRole, "members.recover") && (membership.role !== "owner" || issuerRole === "owner") && ROLE_RANK[membership.role] <= ROLE_RANK[issuerRole];
    if (!allowed) {
      throw new AppError(
        "forbidden",
        issuerRole === undefined
          ? "This person also belongs to a workspace you do not manage, so only an instance operator can recover their account (npm run account:recover)."
          : `Your role (${issuerRole}) cannot reset the account of ${membership.role === "owner" ? "an owner" : `a ${membership.role}`} in ${membership.workspace.name}.`,
      );
    }
  }
  return theirs;
}
