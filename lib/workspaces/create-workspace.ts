import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { isUniqueViolation } from "../db/unique-violation";
import { recordAuditEvent, userActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";

export const slugTaken = (slug: string, field = "slug") => {
  const message = `The address /w/${slug} is taken. Choose another slug.`;
  return new AppError("conflict", message, { [field]: [message] });
};

/**
 * A new workspace with its creator as owner, audited in its own log as
 * workspace.created and member.added. Runs in withWorkspace(workspaceId), the id
 * chosen by the caller, so the rows pass RLS. The slug's unique index decides
 * whether it is free: two people racing for one slug cannot both get it, and the
 * loser's transaction is rolled back whole (no workspace, no membership, no event).
 * Shared by the first-run setup and by a signed-in person's "Create workspace".
 */
export async function createWorkspace(
  tx: Tx,
  options: {
    workspaceId: string;
    name: string;
    slug: string;
    timeZone?: string;
    owner: { id: string; email: string };
    context: RequestContext;
    via: "setup" | "console";
    /** The form field a taken slug is reported on. */
    slugField?: string;
  },
): Promise<{ workspaceId: string; slug: string }> {
  const { workspaceId, name, slug, timeZone, owner, context, via } = options;
  try {
    await tx.workspace.create({ data: { id: workspaceId, name, slug, ...(timeZone ? { timeZone } : {}) } });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(slug, options.slugField);
    throw error;
  }
  await tx.membership.create({ data: { workspaceId, userId: owner.id, role: "owner" } });
  const actor = userActor(owner);
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "workspace.created",
    context,
    target: { type: "workspace", id: workspaceId },
    metadata: { name, slug, time_zone: timeZone ?? "UTC", via },
  });
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "member.added",
    context,
    target: { type: "user", id: owner.id },
    metadata: { after: { role: "owner" } },
  });
  return { workspaceId, slug };
}
