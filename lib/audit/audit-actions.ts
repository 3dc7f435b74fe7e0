// Every audit action name, `resource.verb`. The writer accepts only these.
export const AUDIT_ACTIONS = [
  "workspace.created",
  "member.added",
  "auth.sign_in_succeeded",
  "auth.signed_out",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
