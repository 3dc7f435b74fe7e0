// An audit event as one sentence a person reads, on the overview and in the audit
// log's details ("Dave changed Eve's role to admin"). The code stays beside it in
// the audit log; a new action without a sentence here still reads as "<who>: <code>".

export type EventForSentence = {
  action: string;
  /** The actor's name, else the label recorded with the event (an email, "brute-force protection"). */
  actor: string;
  /** The target's name: a member's name, an invitation's email; null when there is none to show. */
  target: string | null;
  metadata: Record<string, unknown>;
};

const text = (value: unknown): string | null => (typeof value === "string" && value.length > 0 ? value : null);
const roleIn = (value: unknown): string | null => (value && typeof value === "object" ? text((value as Record<string, unknown>).role) : null);
const possessive = (name: string) => (name.endsWith("s") ? `${name}'` : `${name}'s`);
const quoted = (value: unknown) => (text(value) ? ` “${text(value)}”` : "");
const agentOf = (e: { metadata: Record<string, unknown> }) => (text(e.metadata.agent_name) ? ` for the agent “${text(e.metadata.agent_name)}”` : "");

const nameIn = (value: unknown): string | null => (value && typeof value === "object" ? text((value as Record<string, unknown>).name) : null);
const versionOf = (value: unknown) => (typeof value === "number" && Number.isInteger(value) ? `version ${value}` : "a version");
/** A secret by its name and environment, as recorded (never its value, which no event holds). */
const secretIn = (e: EventForSentence) => `${text(e.metadata.name) ?? "(unnamed)"}${text(e.metadata.environment) ? ` in ${e.metadata.environment}` : ""}`;

const countOf = (value: unknown): number | null => (typeof value === "number" && Number.isInteger(value) && value > 0 ? value : null);
const times = (n: number) => (n === 1 ? "once" : `${n} times`);
/**
 * Identical resolutions within a minute are one event with a count: the event
 * that opens a window carries the closed window's final count, and maintenance
 * seals a window no later one closed (sealed: true, window_count).
 */
const accessed: Describe = (e) => {
  const what = `${versionOf(e.metadata.version)} of the secret ${secretIn(e)}`;
  const sealed = e.metadata.sealed === true ? countOf(e.metadata.window_count) : null;
  if (sealed !== null) return `${e.actor} resolved ${what} ${times(sealed)} within one minute`;
  const previous = countOf(e.metadata.previous_window_count);
  return `${e.actor} resolved ${what}${previous !== null ? ` (${times(previous)} in its previous minute)` : ""}`;
};

type Describe = (e: EventForSentence, target: string) => string;

const field = (value: unknown, key: string): unknown => (value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined);
const STATE_VERBS: Record<string, string> = { paused: "paused", active: "resumed", archived: "archived" };
const agentState = (e: EventForSentence): string => {
  const verb = STATE_VERBS[text(field(e.metadata.after, "state")) ?? ""] ?? "changed the state of";
  return `${e.actor} ${verb} the agent${quoted(e.metadata.name)}`;
};
// A cap and a state are the agent's budget (agent.budget_changed): a change of
// state reads as what was done to the agent, a change of cap in dollars.
const agentBudget: Describe = (e) => {
  if (text(field(e.metadata.after, "state")) && text(field(e.metadata.before, "state")) !== text(field(e.metadata.after, "state"))) return agentState(e);
  const [before, after] = [text(field(e.metadata.before, "daily_cap")), text(field(e.metadata.after, "daily_cap"))];
  const cap = before && after && before !== after ? `: daily cap $${before} → $${after}` : "";
  return `${e.actor} changed the budget of the agent${quoted(e.metadata.name)}${cap}`;
};
const pricing: Describe = (e) => {
  const from = text(e.metadata.effective_from);
  return `${e.actor} changed the price of the model${quoted(e.metadata.model)}${from ? ` from ${from}` : ""}`;
};

// Each setting as "what: before → after"; only what changed is in the event.
const retention = (value: unknown) => (typeof value === "number" ? `${value} days` : "forever");
const kinds = (value: unknown) => (Array.isArray(value) && value.length > 0 ? value.join(", ") : "none");
const SETTINGS: [string, string, (value: unknown) => string][] = [
  ["time_zone", "time zone", (v) => text(v) ?? "?"],
  ["audit_retention_days", "audit retention", retention],
  ["pii_redaction", "PII redaction", kinds],
];
const workspaceSettings: Describe = (e) => {
  const after = e.metadata.after && typeof e.metadata.after === "object" ? (e.metadata.after as Record<string, unknown>) : {};
  const changes = SETTINGS.filter(([key]) => key in after).map(([key, label, show]) => `${label} ${show(field(e.metadata.before, key))} → ${show(after[key])}`);
  return `${e.actor} changed the workspace's settings${changes.length > 0 ? `: ${changes.join("; ")}` : ""}`;
};

const SENTENCES: Record<string, Describe> = {
  "workspace.created": (e) => `${e.actor} created the workspace${quoted(e.metadata.name)}`,
  "member.added": (e, t) => `${e.actor} added ${t}${roleIn(e.metadata.after) ? ` as ${roleIn(e.metadata.after)}` : ""}`,
  "member.invited": (e) => `${e.actor} invited ${text(e.metadata.email) ?? "someone"}${text(e.metadata.role) ? ` as ${e.metadata.role}` : ""}`,
  "member.invitation_revoked": (e, t) => `${e.actor} revoked the invitation for ${t}`,
  "member.invitation_resent": (e, t) => `${e.actor} sent a new invitation link to ${t}`,
  "member.joined": (e) => `${e.actor} joined${roleIn(e.metadata.after) ? ` as ${roleIn(e.metadata.after)}` : ""}`,
  "member.role_changed": (e, t) => `${e.actor} changed ${possessive(t)} role to ${roleIn(e.metadata.after) ?? "another role"}`,
  "member.removed": (e, t) => `${e.actor} removed ${t}`,
  "member.left": (e) => `${e.actor} left the workspace`,
  "workspace.ownership_transferred": (e, t) => `${e.actor} made ${t} the owner`,
  "workspace.renamed": (e) => `${e.actor} renamed the workspace${quoted(nameIn(e.metadata.before))} to${quoted(nameIn(e.metadata.after))}`,
  "workspace.slug_changed": (e) => `${e.actor} moved the workspace from /w/${text(field(e.metadata.before, "slug")) ?? "?"} to /w/${text(field(e.metadata.after, "slug")) ?? "?"}`,
  "workspace.settings_changed": workspaceSettings,
  // No one is named: the person's events now carry the pseudonym, and this event says so.
  "account.erased": (e) => `A person's account was erased: ${Number(e.metadata.events_relabelled ?? 0)} of their events now name them by a pseudonym`,
  "member.reset_link_issued": (e, t) => `${e.actor} issued a password reset link for ${t}`,
  "member.reset_link_used": (_e, t) => `${t} set a new password with a reset link`,
  "auth.sign_in_succeeded": (e) => `${e.actor} signed in`,
  "auth.sign_in_failed": (e) => `A sign-in as ${e.actor} failed`,
  "auth.signed_out": (e) => `${e.actor} signed out`,
  "auth.account_locked": (_e, t) => `${possessive(t)} account was locked after repeated failed sign-ins`,
  "auth.account_unlocked": (e, t) => (e.metadata.automatic === true ? `${possessive(t)} account lock expired` : `${e.actor} unlocked ${possessive(t)} account`),
  "auth.password_changed": (e) => `${e.actor} changed their password`,
  "auth.password_reset": (_e, t) => `${t} reset their password`,
  "auth.recovery_link_created": (_e, t) => `An operator created a recovery link for ${t}`,
  "session.revoked": (e) => (e.metadata.scope === "one" ? `${e.actor} signed out one of their sessions` : `${e.actor} signed out their other devices`),
  "session.all_revoked": (e) => `${e.actor} signed everyone out of this workspace`,
  "session.reuse_detected": (_e, t) => `A replaced session token of ${t} was used again`,
  "mfa.enrolled": (e) => `${e.actor} turned on two-factor authentication`,
  "mfa.disabled": (e) => `${e.actor} turned off two-factor authentication`,
  "mfa.recovery_code_used": (e) => `${e.actor} used a recovery code`,
  "mfa.recovery_codes_regenerated": (e) => `${e.actor} made new recovery codes`,
  "mfa.challenge_failed": (e) => `${e.actor} entered a wrong two-factor code`,
  "mfa.step_up_verified": (e) => `${e.actor} confirmed a sensitive action with a two-factor code`,
  "security.policy_changed": (e) => `${e.actor} changed the security policy`,
  "api_key.created": (e) => `${e.actor} created the API key${quoted(e.metadata.name)}`,
  "api_key.revoked": (e) => `${e.actor} revoked the API key${quoted(e.metadata.name)}`,
  "audit.exported": (e) => `${e.actor} exported the audit log`,
  "audit.chain_verified": (e) => `${e.actor} verified the audit log's integrity`,
  "audit.retention_applied": (e) =>
    `${countOf(e.metadata.removed) ?? "Some"} audit events older than ${countOf(e.metadata.retentionDays) ?? "the retention window's"} days were removed; the log now starts after event #${text(e.metadata.lastSeq) ?? "?"}`,
  "secret.created": (e) => `${e.actor} created the secret ${secretIn(e)}`,
  "secret.deleted": (e) => `${e.actor} deleted the secret ${secretIn(e)}`,
  "secret.restored": (e) => `${e.actor} restored the secret ${secretIn(e)}`,
  "secret.purged": (e) => `The secret ${secretIn(e)} was purged 30 days after it was deleted`,
  "secret.updated": (e) => `${e.actor} ${e.metadata.value_changed === true ? `wrote ${versionOf(e.metadata.version)} of` : "changed the details of"} the secret ${secretIn(e)}`,
  "secret.rolled_back": (e) => `${e.actor} rolled the secret ${secretIn(e)} back to ${versionOf(e.metadata.rolled_back_from)}, as ${versionOf(e.metadata.version)}`,
  "secret.version_destroyed": (e) => `${e.actor} destroyed ${versionOf(e.metadata.version)} of the secret ${secretIn(e)}`,
  "secret.accessed": accessed,
  "secret.revealed": (e) => `${e.actor} revealed ${versionOf(e.metadata.version)} of the secret ${secretIn(e)}`,
  "environment.created": (e) => `${e.actor} added the environment${quoted(e.metadata.name)}`,
  "environment.renamed": (e) => `${e.actor} renamed the environment${quoted(nameIn(e.metadata.before))} to${quoted(nameIn(e.metadata.after))}`,
  "platform.agent_updated": (e) => `${e.actor} reported that the agent${quoted(e.metadata.agent_name)} was updated`,
  "platform.deployment_created": (e) => `${e.actor} reported a deployment${agentOf(e)}`,
  "platform.workflow_published": (e) => `${e.actor} reported a workflow published${agentOf(e)}`,
  "platform.channel_changed": (e) => `${e.actor} reported a channel change${agentOf(e)}`,
  "agent.created": (e) => `${e.actor} created the agent${quoted(e.metadata.name)}`,
  "agent.renamed": (e) => `${e.actor} renamed the agent${quoted(nameIn(e.metadata.before))} to${quoted(nameIn(e.metadata.after))}`,
  "agent.budget_changed": agentBudget,
  "agent.budget_alert": (e) =>
    `The agent${quoted(e.metadata.name)} reached ${typeof e.metadata.threshold === "number" ? `${e.metadata.threshold}%` : "a threshold"} of its daily budget${text(e.metadata.day) ? ` on ${e.metadata.day}` : ""}`,
  "pricing.changed": pricing,
  "usage.exported": (e) => `${e.actor} exported usage${text(e.metadata.from) && text(e.metadata.to) ? ` from ${e.metadata.from} to ${e.metadata.to}` : ""}`,
};

export function describeEvent(event: EventForSentence): string {
  const describe = SENTENCES[event.action];
  if (!describe) return `${event.actor}: ${event.action}`;
  return describe(event, event.target ?? text(event.metadata.email) ?? "a former member");
}
