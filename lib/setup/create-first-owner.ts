import { randomUUID } from "node:crypto";
import { AppError } from "../errors";
import { withWorkspace } from "../db/with-workspace";
import { hashPassword } from "../auth/password";
import { createSession } from "../auth/sessions/create-session";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { RequestContext } from "../http/request-context";
import { SETUP_TOKEN_KEY, setupTokenMatches } from "./setup-token";
import type { SetupInput } from "./schemas";

/**
 * Creates the first owner, their workspace and a signed-in session, all or nothing.
 * The token row is locked so two racing requests cannot both succeed.
 */
export async function createFirstOwner(options: { input: SetupInput; context: RequestContext }) {
  const { input, context } = options;
  const passwordHash = await hashPassword(input.password);
  const workspaceId = randomUUID();

  return withWorkspace(workspaceId, async (tx) => {
    const setting = await tx.$queryRaw<{ value: string }[]>`
      SELECT value FROM instance_settings WHERE key = ${SETUP_TOKEN_KEY} FOR UPDATE`;
    if ((await tx.user.count()) > 0 || setting.length === 0) {
      throw new AppError("not_found", "This instance is already set up. Sign in instead.");
    }
    if (!setupTokenMatches(setting[0].value, input.token)) {
      throw new AppError("invalid_input", "That setup token is not the one the server printed.", {
        token: ["That setup token is not the one the server printed"],
      });
    }
    const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } });
    await tx.workspace.create({ data: { id: workspaceId, name: input.workspaceName, slug: input.workspaceSlug } });
    await tx.membership.create({ data: { workspaceId, userId: user.id, role: "owner" } });
    await tx.instanceSetting.delete({ where: { key: SETUP_TOKEN_KEY } });

    const actor = { type: "user" as const, id: user.id, label: user.email };
    await recordAuditEvent(tx, {
      workspaceId, actor, action: "workspace.created", context,
      target: { type: "workspace", id: workspaceId },
      metadata: { name: input.workspaceName, slug: input.workspaceSlug, via: "setup" },
    });
    await recordAuditEvent(tx, {
      workspaceId, actor, action: "member.added", context,
      target: { type: "user", id: user.id },
      metadata: { after: { role: "owner" } },
    });
    const { token } = await createSession(tx, { userId: user.id, context });
    return { token, slug: input.workspaceSlug };
  });
}
