import { randomUUID } from "node:crypto";
import { AppError } from "../errors";
import { withWorkspace } from "../db/with-workspace";
import { withSystem } from "../db/system";
import { hashPassword } from "../auth/password";
import { createSession } from "../auth/sessions/create-session";
import { createWorkspace } from "../workspaces/create-workspace";
import type { RequestContext } from "../http/request-context";
import { SETUP_TOKEN_KEY, setupTokenMatches } from "./setup-token";
import type { SetupInput } from "./schemas";

const CLOSED = "This instance is already set up. Sign in instead.";
const WRONG_TOKEN = "That setup token is not the one the server printed.";
const WRONG_TOKEN_FIELD = { token: ["That setup token is not the one the server printed"] };

/**
 * Creates the first owner, their workspace and a signed-in session, all or nothing.
 * The token row is locked so two racing requests cannot both succeed.
 *
 * The form stays reachable after setup (its action id is public), so the state and
 * the token are checked before the password is hashed: a closed instance or a
 * wrong token is refused at once, and only someone holding the token can make
 * this spend an Argon2 hash. The locked transaction checks both again.
 */
export async function createFirstOwner(options: { input: SetupInput; context: RequestContext }) {
  const { input, context } = options;
  const stored = await withSystem(async (tx) => {
    if ((await tx.user.count({ take: 1 })) > 0) return null;
    return (await tx.instanceSetting.findUnique({ where: { key: SETUP_TOKEN_KEY }, select: { value: true } }))?.value ?? null;
  });
  if (stored === null) throw new AppError("not_found", CLOSED);
  if (!setupTokenMatches(stored, input.token)) throw new AppError("invalid_input", WRONG_TOKEN, WRONG_TOKEN_FIELD);

  const passwordHash = await hashPassword(input.password);
  const workspaceId = randomUUID();

  return withWorkspace(workspaceId, async (tx) => {
    const setting = await tx.$queryRaw<{ value: string }[]>`
      SELECT value FROM instance_settings WHERE key = ${SETUP_TOKEN_KEY} FOR UPDATE`;
    if ((await tx.user.count()) > 0 || setting.length === 0) throw new AppError("not_found", CLOSED);
    if (!setupTokenMatches(setting[0].value, input.token)) {
      throw new AppError("invalid_input", WRONG_TOKEN, WRONG_TOKEN_FIELD);
    }
    // The account that sets the instance up is its first operator.
    const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash, isOperator: true } });
    await tx.instanceSetting.delete({ where: { key: SETUP_TOKEN_KEY } });
    await createWorkspace(tx, {
      workspaceId,
      name: input.workspaceName,
      slug: input.workspaceSlug,
      owner: user,
      context,
      via: "setup",
      slugField: "workspaceSlug",
    });
    const { token } = await createSession(tx, { userId: user.id, context });
    return { token, slug: input.workspaceSlug };
  });
}
