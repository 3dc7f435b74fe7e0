import "server-only";
import type { Tx } from "../db/with-workspace";
import { isUniqueViolation } from "../db/unique-violation";
import { recordAuditEvent, type AuditActor } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { lockWorkspaceSettings } from "./lock-workspace-settings";
import { slugTaken } from "./create-workspace";

/**
 * Moves the workspace to a new address. Nothing redirects from the old one: a
 * slug is found by lookup only, so /w/<old-slug>/… answers 404 from the commit on
 * (and the old slug is free for another workspace). The unique index decides
 * whether the new slug is free, not a prior read.
 */
export async function changeWorkspaceSlug(
  tx: Tx,
  options: { workspaceId: string; slug: string; actor: AuditActor & { type: "user" }; context: RequestContext },
): Promise<{ before: string; after: string }> {
  const { workspaceId, slug, actor, context } = options;
  const current = await lockWorkspaceSettings(tx, workspaceId);
  if (current.slug === slug) return { before: slug, after: slug };
  try {
    await tx.$executeRaw`UPDATE workspaces SET slug = ${slug} WHERE id = ${workspaceId}::uuid`;
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(slug);
    throw error;
  }
  await recordAuditEvent(tx, {
    workspaceId,
    actor,
    action: "workspace.slug_changed",
    context,
    target: { type: "workspace", id: workspaceId },
    metadata: { before: { slug: current.slug }, after: { slug } },
  });
  return { before: current.slug, after: slug };
}
