import type { Capability } from "./capabilities";

// Each capability of the one table in words, for the Roles page. `pending` names
// the feature a capability belongs to while that feature is not yet built: the
// table already grants it, but nothing in the console or the API uses it yet.
// Typed against the table, so a new capability cannot appear without its words.

export type CapabilityDescription = { label: string; pending?: string };

export const CAPABILITY_DESCRIPTIONS = {
  "workspace.read": { label: "See the workspace and its overview" },
  "members.read": { label: "See the members and their roles" },
  "members.invite": { label: "Invite people and revoke invitations" },
  "members.update_role": { label: "Change members' roles" },
  "members.remove": { label: "Remove members" },
  "members.unlock": { label: "Unlock members locked out by failed sign-ins" },
  "members.recover": { label: "Issue password reset links to members" },
  "security.manage": { label: "Change the MFA and step-up policy" },
  "sessions.revoke_all": { label: "Sign everyone out of the workspace" },
  "audit.read": { label: "Read the audit log" },
  "audit.export": { label: "Export the audit log" },
  "api_keys.manage": { label: "Create API keys and revoke their own" },
  "api_keys.revoke_any": { label: "Revoke anyone's API keys" },
  "secrets.read_metadata": { label: "See which secrets exist, never their values" },
  "secrets.write": { label: "Add secrets, change their values and roll them back" },
  "secrets.reveal": { label: "Reveal a secret's value (always after a fresh MFA check)" },
  "secrets.delete": { label: "Delete and restore secrets, destroy old versions" },
  "secrets.resolve": { label: "Give API keys the right to resolve secrets at run time" },
  "environments.manage": { label: "Add and rename environments" },
  "agents.manage": { label: "Create and rename agents" },
  "content.edit": { label: "Edit content", pending: "Content" },
  "usage.read": { label: "See usage and spend" },
  "budgets.write": { label: "Set agents' spending caps, pause, resume and archive them, and edit model prices" },
  "workspace.update": { label: "Change the workspace's name, address, time zone, audit retention and PII redaction" },
  "workspace.transfer": { label: "Transfer ownership" },
  "workspace.delete": { label: "Delete the workspace and everything in it (after a fresh MFA check and its name typed)" },
} as const satisfies Record<Capability, CapabilityDescription>;

export function describeCapability(capability: Capability): CapabilityDescription {
  return CAPABILITY_DESCRIPTIONS[capability];
}
