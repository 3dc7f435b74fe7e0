import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type pg from "pg";
import { cookieJar, signInAs } from "../support/request-stub";
import { context, ownerClient, seedMember, seedWorkspace } from "../support/owner-db";
import { withWorkspace } from "../../lib/db/with-workspace";
import { createSecret } from "../../lib/secrets/create-secret";
import { can, ROLES, type Capability } from "../../lib/authz/capabilities";
import { generateSessionToken, hashToken } from "../../lib/auth/session-token";
import type { ActionState } from "../../lib/actions/action-state";

// Every server action and route, called directly (not through the UI) as each of
// the five roles and as a member of another workspace. An action or route missing
// from these tables fails the first tests, so none can be added unchecked.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

type Fixture = {
  workspaceId: string;
  slug: string;
  targetId: string;
  lockedId: string;
  invitationId: string;
  apiKeyId: string;
  environmentId: string;
  secretId: string;
  deletedSecretId: string;
  agentId: string;
};
type WorkspaceCase = {
  capability: Capability;
  input: (f: Fixture) => Record<string, string>;
  /** Run as the owner after the caller signed in, e.g. to give the caller's account MFA. */
  prepare?: (owner: pg.Client, f: Fixture, userId: string) => Promise<unknown>;
};

const WORKSPACE_ACTIONS: Record<string, WorkspaceCase> = {
  revokeAllSessions: { capability: "sessions.revoke_all", input: () => ({}) },
  unlockMember: { capability: "members.unlock", input: (f) => ({ userId: f.lockedId }) },
  updateSecurityPolicy: { capability: "security.manage", input: () => ({ mfaPolicy: "none", stepUpWindowMinutes: "10" }) },
  // Names members without MFA: only for those who may change the policy.
  previewSecurityPolicy: { capability: "security.manage", input: () => ({ mfaPolicy: "all" }) },
  inviteMember: { capability: "members.invite", input: () => ({ email: `invitee-${randomUUID().slice(0, 8)}@example.test`, role: "viewer" }) },
  revokeInvitation: { capability: "members.invite", input: (f) => ({ invitationId: f.invitationId }) },
  resendInvitation: { capability: "members.invite", input: (f) => ({ invitationId: f.invitationId }) },
  changeMemberRole: { capability: "members.update_role", input: (f) => ({ userId: f.targetId, role: "editor" }) },
  removeMember: { capability: "members.remove", input: (f) => ({ userId: f.targetId }) },
  leaveWorkspace: { capability: "workspace.read", input: () => ({}) },
  transferOwnership: { capability: "workspace.transfer", input: (f) => ({ userId: f.targetId }) },
  verifyAuditLog: { capability: "audit.read", input: () => ({}) },
  // Names members and keys: only for those who read the log.
  findAuditActors: { capability: "audit.read", input: () => ({ query: "a" }) },
  // The gate is api_keys.manage, but a key with audit:read also needs audit.read (a
  // key never carries more than its creator): this input is allowed exactly where audit.read is.
  createApiKey: { capability: "audit.read", input: () => ({ name: "matrix key", scopes: "audit:read", expiry: "30" }) },
  // The gate is api_keys.manage (everyone revokes their own keys); this key is nobody's own,
  // so it needs api_keys.revoke_any and the role rules of creating it.
  revokeApiKey: { capability: "api_keys.revoke_any", input: (f) => ({ apiKeyId: f.apiKeyId }) },
  issueResetLink: { capability: "members.recover", input: (f) => ({ userId: f.targetId }) },
  updateSecret: { capability: "secrets.write", input: (f) => ({ secretId: f.secretId, revision: "1", description: "changed by the matrix", value: "" }) },
  rollbackSecret: { capability: "secrets.write", input: (f) => ({ secretId: f.secretId, version: "1" }) },
  destroySecretVersion: { capability: "secrets.delete", input: (f) => ({ secretId: f.secretId, version: "1" }) },
  createSecret: {
    capability: "secrets.write",
    input: (f) => ({
      environmentId: f.environmentId,
      name: `MATRIX_${randomUUID()
        .slice(0, 8)
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, "_")}`,
      value: "matrix-new-value",
    }),
  },
  deleteSecret: { capability: "secrets.delete", input: (f) => ({ secretId: f.secretId }) },
  restoreSecret: { capability: "secrets.delete", input: (f) => ({ secretId: f.deletedSecretId }) },
  createEnvironment: { capability: "environments.manage", input: () => ({ name: `qa-${randomUUID().slice(0, 8)}` }) },
  renameEnvironment: { capability: "environments.manage", input: (f) => ({ environmentId: f.environmentId, name: `prod-${randomUUID().slice(0, 8)}` }) },
  createAgent: { capability: "agents.manage", input: () => ({ name: `bot-${randomUUID().slice(0, 8)}`, dailyCap: "12.50" }) },
  renameAgent: { capability: "agents.manage", input: (f) => ({ agentId: f.agentId, name: `bot-${randomUUID().slice(0, 8)}` }) },
  setAgentState: { capability: "budgets.write", input: (f) => ({ agentId: f.agentId, state: "paused" }) },
  updateAgentBudget: { capability: "budgets.write", input: (f) => ({ agentId: f.agentId, dailyCap: "20", timeZone: "UTC", alertThresholds: "50,80,100", unpricedPolicy: "deny" }) },
  setModelPrice: { capability: "budgets.write", input: () => ({ model: `model-${randomUUID().slice(0, 8)}`, inputPerMtok: "2.50", outputPerMtok: "10" }) },
  renameWorkspace: { capability: "workspace.update", input: () => ({ name: `Matrix ${randomUUID().slice(0, 8)}` }) },
  changeWorkspaceSlug: { capability: "workspace.update", input: () => ({ slug: `matrix-moved-${randomUUID().slice(0, 8)}` }) },
  setWorkspaceTimeZone: { capability: "workspace.update", input: () => ({ timeZone: "Europe/Paris" }) },
  setAuditRetention: { capability: "workspace.update", input: () => ({ retention: "days", retentionDays: "90" }) },
  setPiiRedaction: { capability: "workspace.update", input: () => ({ pii: "email" }) },
  // Always behind a fresh MFA check: the caller's account has MFA and signInAs's session passed it just now.
  revealSecret: {
    capability: "secrets.reveal",
    input: (f) => ({ secretId: f.secretId }),
    prepare: (owner, _f, userId) => owner.query(`UPDATE users SET mfa_enabled_at = now() WHERE id = $1`, [userId]),
  },
  // Owners only, always after a fresh MFA check, with the name typed (seedWorkspace names it by its slug).
  deleteWorkspace: {
    capability: "workspace.delete",
    input: (f) => ({ confirmName: f.slug }),
    prepare: (owner, _f, userId) => owner.query(`UPDATE users SET mfa_enabled_at = now() WHERE id = $1`, [userId]),
  },
};

// Not tied to one workspace: the caller's own account (a live session is the
// authority) or public by design (the setup token, an invitation token).
const ACCOUNT_ACTIONS = [
  "changePassword",
  "revokeSession",
  "signOutOtherDevices",
  "startEnrollment",
  "confirmEnrollment",
  "disableMfa",
  "regenerateRecoveryCodes",
  "verifyStepUp",
  "dismissSecurityNotice",
  "createWorkspace",
  "deleteAccount",
];
const PUBLIC_ACTIONS = ["completeSetup", "acceptInvitation", "resetPassword"];
const ROUTES: Record<string, string> = {
  "app/api/auth/[...nextauth]/route.ts": "public: next-auth sign-in and sign-out, CSRF-checked and rate limited",
  "app/api/csp-report/route.ts": "public: browsers post CSP violation reports; only logged, rate limited per address (tests/integration/csp-report.test.ts)",
  "app/api/health/route.ts": "public: liveness, reveals no data",
  "app/api/health/live/route.ts": "public: the load balancer's liveness check, reveals no data",
  "app/api/health/ready/route.ts": "public: the load balancer's readiness check (draining, PostgreSQL reachable), reveals no data",
  "app/api/v1/agents/[agent]/authorizations/route.ts":
    "API key with runtime:spend (creator must hold agents.manage), through apiRoute; a key bound to an agent acts only for it (tests/integration/spend-authorization.test.ts)",
  "app/api/v1/authorizations/[id]/capture/route.ts": "API key with runtime:spend, through apiRoute; holds of another agent than the key's look missing (tests/integration/spend-authorization.test.ts)",
  "app/api/v1/authorizations/[id]/void/route.ts": "API key with runtime:spend, through apiRoute; holds of another agent than the key's look missing (tests/integration/spend-authorization.test.ts)",
  "app/api/v1/audit/head/route.ts": "API key with audit:read, through apiRoute (tests/integration/audit-trust.test.ts)",
  "app/api/v1/audit/events/route.ts":
    "API key with audit:write (creator must hold agents.manage), through apiRoute; a bound key records only for its agent (tests/integration/audit-events-api.test.ts)",
  "app/api/v1/audit/route.ts": "API key with audit:read, through apiRoute (tests/integration/audit-api.test.ts)",
  "app/api/v1/openapi.json/route.ts": "public: the API's description, no data",
  "app/api/v1/redact/route.ts":
    "API key with runtime:usage (creator must hold agents.manage), through apiRoute; stores nothing, redacts under the key's workspace's and the key's policy (tests/integration/redaction.test.ts)",
  "app/api/v1/usage/events/route.ts":
    "API key with runtime:usage (creator must hold agents.manage), through apiRoute; a bound key reports only its agent's events (tests/integration/usage-events.test.ts)",
  "app/api/v1/workspaces/usage/route.ts": "API key with usage:read (creator must hold usage.read), through apiRoute; the key's workspace only (tests/integration/usage-api.test.ts)",
  "app/api/v1/secrets/resolve/route.ts":
    "API key with secrets:resolve (creator must hold secrets.resolve), through apiRoute; environment and names held to the key's (tests/integration/secrets-resolve.test.ts)",
  "app/metrics/route.ts":
    "no session: Prometheus scrapes it with Authorization: Bearer METRICS_TOKEN (404 when unset, 401 when wrong); process-wide counters, no workspace data (with WARDEN_METRICS_WORKSPACE_LABELS, the usage and spend counters carry workspace ids, nothing else) (tests/integration/metrics.test.ts)",
  "app/w/[workspace]/audit/export/route.ts": "session + audit.export, checked in exportAuditLog (tests/integration/audit-export.test.ts)",
  "app/w/[workspace]/usage/export/route.ts": "session + usage.read, checked in exportUsageCsv; the export is audited in the reading transaction (tests/integration/usage-export.test.ts)",
};

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;
const actions = new Map<string, Action>();

function files(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files(path, out);
    else out.push(relative(process.cwd(), path));
  }
  return out;
}

let owner: pg.Client;

beforeAll(async () => {
  owner = await ownerClient();
  for (const file of files("lib/actions").filter((f) => f.endsWith(".ts") && readFileSync(f, "utf8").startsWith('"use server"'))) {
    const exported = (await import(`../../${file}`)) as Record<string, Action>;
    for (const [name, fn] of Object.entries(exported)) if (typeof fn === "function") actions.set(name, fn);
  }
});
afterAll(() => owner.end());

async function fixture(): Promise<Fixture & { members: Record<string, string> }> {
  const ws = await seedWorkspace(owner, "matrix");
  const members: Record<string, string> = { owner: ws.ownerId };
  for (const role of ROLES.filter((r) => r !== "owner")) members[role] = (await seedMember(owner, ws.workspaceId, role)).id;
  // A second owner, so "the last owner cannot leave" does not decide the owner's case.
  await seedMember(owner, ws.workspaceId, "owner");
  const target = await seedMember(owner, ws.workspaceId, "viewer");
  const locked = await seedMember(owner, ws.workspaceId, "viewer");
  await owner.query(`UPDATE users SET locked_until = now() + interval '1 hour' WHERE id = $1`, [locked.id]);
  const invitation = await owner.query<{ id: string }>(
    `INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ($1, $2, 'viewer', $3, now() + interval '1 day') RETURNING id`,
    [ws.workspaceId, `pending-${randomUUID().slice(0, 8)}@example.test`, hashToken(generateSessionToken())],
  );
  const apiKey = await owner.query<{ id: string }>(`INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes) VALUES ($1, 'matrix', 'wdn_live_matrix', $2, '{audit:read}') RETURNING id`, [
    ws.workspaceId,
    hashToken(generateSessionToken()),
  ]);
  const environmentId = (await owner.query<{ id: string }>(`SELECT id FROM environments WHERE workspace_id = $1 AND name = 'production'`, [ws.workspaceId])).rows[0].id;
  const { secretId } = await withWorkspace(ws.workspaceId, (tx) =>
    createSecret(tx, {
      workspaceId: ws.workspaceId,
      input: { environmentId, name: "MATRIX_SECRET", value: "matrix-value", description: "", rotationIntervalDays: undefined, expiresOn: undefined },
      actor: { type: "user", id: ws.ownerId, label: ws.ownerEmail },
      context: context(),
    }),
  );
  const deleted = await withWorkspace(ws.workspaceId, (tx) =>
    createSecret(tx, {
      workspaceId: ws.workspaceId,
      input: { environmentId, name: "MATRIX_DELETED", value: "matrix-deleted-value", description: "", rotationIntervalDays: undefined, expiresOn: undefined },
      actor: { type: "user", id: ws.ownerId, label: ws.ownerEmail },
      context: context(),
    }),
  );
  await owner.query(`UPDATE secrets SET deleted_at = now() WHERE id = $1`, [deleted.secretId]);
  const agentId = (await owner.query<{ id: string }>(`INSERT INTO agents (workspace_id, name, daily_cap_micros) VALUES ($1, 'matrix-agent', 10000000) RETURNING id`, [ws.workspaceId])).rows[0].id;
  return {
    agentId,
    workspaceId: ws.workspaceId,
    slug: ws.slug,
    targetId: target.id,
    lockedId: locked.id,
    invitationId: invitation.rows[0].id,
    apiKeyId: apiKey.rows[0].id,
    environmentId,
    secretId,
    deletedSecretId: deleted.secretId,
    members,
  };
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

describe("the authorization matrix covers everything", () => {
  it("every server action is in the matrix", () => {
    expect([...actions.keys()].sort()).toEqual([...Object.keys(WORKSPACE_ACTIONS), ...ACCOUNT_ACTIONS, ...PUBLIC_ACTIONS].sort());
  });

  it("every route handler is declared, with why it is public", () => {
    expect(
      files("app")
        .filter((f) => /route\.ts$/.test(f))
        .sort(),
    ).toEqual(Object.keys(ROUTES).sort());
  });
});

describe.each(Object.entries(WORKSPACE_ACTIONS))("%s", (name, { capability, input, prepare }) => {
  it.each([...ROLES, "outsider" as const])(`as %s: allowed exactly when the matrix grants ${capability}`, async (role) => {
    const f = await fixture();
    if (role === "outsider") {
      const other = await seedWorkspace(owner, "outsider");
      await signInAs(owner, other.ownerId);
    } else {
      await signInAs(owner, f.members[role]);
      await prepare?.(owner, f, f.members[role]);
    }
    const result = await actions.get(name)!({ status: "idle" }, form({ workspace: f.slug, ...input(f) }));
    if (role !== "outsider" && can(role, capability)) {
      expect(result, JSON.stringify(result)).toMatchObject({ status: "ok" });
    } else {
      expect(result).toMatchObject({ status: "error", code: role === "outsider" ? "not_found" : "forbidden" });
    }
  });
});

describe("account actions", () => {
  it.each(ACCOUNT_ACTIONS)("%s refuses a caller without a live session", async (name) => {
    cookieJar.clear();
    cookieJar.set("warden.session", generateSessionToken());
    const result = await actions.get(name)!(
      { status: "idle" },
      form({
        code: "123456",
        sessionId: randomUUID(),
        noticeId: randomUUID(),
        currentPassword: "x",
        newPassword: "y",
        email: "matrix@example.test",
        password: "x",
        name: "Matrix",
        slug: `matrix-${randomUUID().slice(0, 8)}`,
        timeZone: "UTC",
      }),
    );
    expect(result).toMatchObject({ status: "error", code: "unauthenticated" });
  });
});

describe("step-up", () => {
  it("a direct call of a step-up action without a fresh MFA check is refused, whatever the UI does", async () => {
    const f = await fixture();
    await owner.query(`UPDATE workspaces SET step_up_required = true WHERE id = $1`, [f.workspaceId]);
    await owner.query(`UPDATE users SET mfa_enabled_at = now() WHERE id = $1`, [f.members.owner]);
    await signInAs(owner, f.members.owner);
    await owner.query(`UPDATE sessions SET mfa_verified_at = now() - interval '11 minutes' WHERE user_id = $1`, [f.members.owner]);
    for (const name of [
      "revokeAllSessions",
      "removeMember",
      "transferOwnership",
      "updateSecurityPolicy",
      "createApiKey",
      "issueResetLink",
      "destroySecretVersion",
      "revealSecret",
      "changeWorkspaceSlug",
      "setAuditRetention",
      "setPiiRedaction",
      "deleteWorkspace",
    ]) {
      const result = await actions.get(name)!({ status: "idle" }, form({ workspace: f.slug, ...WORKSPACE_ACTIONS[name].input(f) }));
      expect(result, name).toMatchObject({ status: "error", code: "step_up_required" });
    }
    const granted = await actions.get("changeMemberRole")!({ status: "idle" }, form({ workspace: f.slug, userId: f.targetId, role: "admin" }));
    expect(granted).toMatchObject({ status: "error", code: "step_up_required" });
    const { rows } = await owner.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action IN ('session.all_revoked', 'member.removed', 'member.role_changed', 'api_key.created')`,
      [f.workspaceId],
    );
    expect(rows[0].n).toBe(0);
  });

  it("revealing a secret's value needs a fresh MFA check even where the workspace does not ask for step-up", async () => {
    const f = await fixture();
    await owner.query(`UPDATE workspaces SET step_up_required = false WHERE id = $1`, [f.workspaceId]);
    await owner.query(`UPDATE users SET mfa_enabled_at = now() WHERE id = $1`, [f.members.owner]);
    await signInAs(owner, f.members.owner);
    await owner.query(`UPDATE sessions SET mfa_verified_at = now() - interval '11 minutes' WHERE user_id = $1`, [f.members.owner]);
    const result = await actions.get("revealSecret")!({ status: "idle" }, form({ workspace: f.slug, secretId: f.secretId }));
    expect(result).toMatchObject({ status: "error", code: "step_up_required" });
    expect(JSON.stringify(result)).not.toContain("matrix-value");
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'secret.revealed'`, [f.workspaceId]);
    expect(rows[0].n).toBe(0);
  });
});
