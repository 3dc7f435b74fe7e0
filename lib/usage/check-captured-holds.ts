import "server-only";
import type { Tx } from "../db/with-workspace";
import { AppError } from "../errors";
import { expireHolds } from "../spend/expire-holds";
import type { UsageEvent } from "./schemas";

/**
 * The holds a batch's llm.call events capture: each must be a hold of the event's
 * own agent in this workspace (else a 404 naming the events, nothing stored), and
 * named by one event only (the call it authorized). Overdue holds of those agents
 * are expired first, so a call reported after its hold's 10 minutes leaves it
 * charged at its held amount, as a late capture would.
 */
export async function checkCapturedHolds(tx: Tx, options: { workspaceId: string; events: UsageEvent[] }): Promise<void> {
  const calls = options.events.flatMap((e) => (e.type === "llm.call" && e.authorization_id ? [{ id: e.id, agent: e.agent, hold: e.authorization_id }] : []));
  if (calls.length === 0) return;
  const seen = new Map<string, string>();
  for (const call of calls) {
    const first = seen.get(call.hold);
    if (first !== undefined) {
      throw new AppError(
        "invalid_input",
        `Events ${first} and ${call.id} name the same authorization: each authorization is captured by the one call it allowed.`,
        { events: [first, call.id] },
        "authorization_reused",
      );
    }
    seen.set(call.hold, call.id);
  }
  const holds = await tx.$queryRaw<{ id: string; agent_id: string }[]>`
    SELECT id::text, agent_id::text FROM spend_holds WHERE workspace_id = ${options.workspaceId}::uuid AND id = ANY(${[...seen.keys()]}::uuid[])`;
  const agentOf = new Map(holds.map((h) => [h.id, h.agent_id]));
  const wrong = calls.filter((call) => agentOf.get(call.hold) !== call.agent).map((call) => call.id);
  if (wrong.length > 0) {
    throw new AppError("not_found", `No such authorization for the event's agent: ${wrong.join(", ")}. Nothing was stored.`, { events: wrong }, "authorization_not_found");
  }
  for (const agentId of new Set(holds.map((h) => h.agent_id))) await expireHolds(tx, { workspaceId: options.workspaceId, agentId });
}
