import "server-only";
import { z } from "zod";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import type { RequestContext } from "../http/request-context";
import type { platformAuditEventSchema } from "./platform-audit-schemas";
import { recordAuditEvents, type AuditActor } from "./record-audit-event";

type PlatformEvent = z.output<typeof platformAuditEventSchema>;

/**
 * The runtime's own changes (an agent edited, a deployment, a workflow published)
 * appended to the workspace's chain through the one writer, with the key as
 * actor and the agent in the metadata, so the log covers everything the
 * workspace does. A key bound to an agent records only for that agent (its
 * binding is read in this transaction); every agent named must be the
 * workspace's, or nothing is recorded.
 */
export async function recordPlatformAuditEvents(
  tx: Tx,
  options: { workspaceId: string; keyId: string; actor: AuditActor & { type: "api_key" }; events: PlatformEvent[]; context: RequestContext },
): Promise<{ recorded: number }> {
  const { workspaceId, keyId, actor, context } = options;
  const [key] = await tx.$queryRaw<{ agent_id: string | null }[]>`
    SELECT agent_id::text FROM api_keys WHERE id = ${keyId}::uuid AND workspace_id = ${workspaceId}::uuid`;
  const bound = key?.agent_id ?? null;
  // A bound key's events are its agent's, whether or not the body says so.
  const events = options.events.map((e) => ({ ...e, agent: e.agent ?? bound ?? undefined }));
  const named = [...new Set(events.flatMap((e) => (e.agent ? [e.agent] : [])))];
  const others = bound ? named.filter((id) => id !== bound) : [];
  if (others.length > 0) {
    throw new AppError("forbidden", `This API key acts only for its own agent; it may not record for ${others.join(", ")}.`, { agent: others }, "agent_not_allowed");
  }
  const agents = await tx.$queryRaw<{ id: string; name: string }[]>`
    SELECT id::text, name FROM agents WHERE workspace_id = ${workspaceId}::uuid AND id = ANY(${named}::uuid[])`;
  const unknown = named.filter((id) => !agents.some((a) => a.id === id));
  if (unknown.length > 0) {
    throw new AppError("not_found", `No such agent in this workspace: ${unknown.join(", ")}. Nothing was recorded.`, { agent: unknown }, "agent_not_found");
  }
  const nameOf = new Map(agents.map((a) => [a.id, a.name]));
  await recordAuditEvents(
    tx,
    events.map((e) => ({
      workspaceId,
      actor,
      action: e.action,
      // The runtime's own keys come first; the agent Warden knows is written last, so it cannot be overwritten.
      metadata: { ...e.metadata, ...(e.agent && { agent_id: e.agent, agent_name: nameOf.get(e.agent) }) },
      context,
    })),
  );
  return { recorded: events.length };
}
