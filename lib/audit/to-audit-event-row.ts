import { auditActionLabel } from "./describe-audit-action";
import { describeEvent } from "./describe-audit-event";
import type { AuditNames } from "./resolve-audit-names";
import type { AuditEventView } from "./schemas";

/** Who or what, as a person recognises it; `detail` is the email, prefix or reference shown on hover and in the details. */
export type AuditName = { name: string; detail: string | null };

/**
 * An event as the console's audit page shows it: the outward view (the API's and
 * the export's shape, unchanged) plus names, a label and a sentence for people.
 */
export type AuditEventRow = AuditEventView & {
  shown: { action: string; sentence: string; actor: AuditName; target: AuditName | null };
};

const text = (value: unknown): string | null => (typeof value === "string" && value.length > 0 ? value : null);
const key = (id: string | null | undefined) => (id ?? "").toLowerCase();

export function toAuditEventRow(event: AuditEventView, names: AuditNames, workspaceId: string): AuditEventRow {
  const actor = actorName(event, names);
  const target = targetName(event, names, workspaceId);
  const sentence = describeEvent({ action: event.action, actor: actor.name, target: target?.name ?? null, metadata: event.metadata });
  return { ...event, shown: { action: auditActionLabel(event.action), sentence, actor, target } };
}

function actorName({ actor }: AuditEventView, names: AuditNames): AuditName {
  if (actor.type === "user") {
    const user = names.users.get(key(actor.id));
    // The label is the email the person had when they acted.
    return user ? { name: user.name, detail: user.email } : { name: actor.label ?? actor.id ?? "A former member", detail: null };
  }
  if (actor.type === "api_key") {
    const apiKey = names.apiKeys.get(key(actor.id));
    return apiKey ? { name: apiKey.name, detail: `${apiKey.prefix}…` } : { name: actor.label ?? "A deleted API key", detail: null };
  }
  return { name: actor.label ?? "Warden", detail: null };
}

function targetName({ target, metadata }: AuditEventView, names: AuditNames, workspaceId: string): AuditName | null {
  if (!target) return null;
  const id = key(target.id);
  switch (target.type) {
    case "user": {
      // Someone no longer a member is named by the email an event recorded.
      const user = names.users.get(id);
      return user ? { name: user.name, detail: user.email } : { name: text(metadata.email) ?? names.recordedLabels.get(id) ?? "A former member", detail: null };
    }
    case "api_key": {
      const apiKey = names.apiKeys.get(id);
      return apiKey ? { name: apiKey.name, detail: `${apiKey.prefix}…` } : { name: text(metadata.name) ?? "An API key", detail: text(metadata.prefix) };
    }
    case "invitation":
      return { name: names.invitations.get(id) ?? text(metadata.email) ?? "An invitation", detail: null };
    case "session":
      // Events name a session by its reference, never its id (see session-reference.ts).
      return { name: `Session ${(target.id ?? "").slice(0, 8)}`, detail: target.id };
    case "workspace":
      return { name: id === key(workspaceId) ? "This workspace" : "A workspace", detail: null };
    default:
      return { name: target.type, detail: target.id };
  }
}
