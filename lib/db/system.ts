import { getPrisma, type Tx } from "./client";
import { runCommitting } from "./after-commit";

// The named system paths that run outside a workspace: the session lookup, the
// first-run setup and the signed-in user's own data. (An API request's key
// lookup opens its transaction in with-workspace.ts: withApiKeyRequest.)
// Workspace tables stay behind RLS here: with no workspace context they show no
// rows, except what the one setting a path names makes visible. Each runs the
// work it queued with afterCommit once it has committed (lib/db/after-commit.ts).

const OPTIONS = { timeout: 20_000, maxWait: 10_000 };

/**
 * One read of instance-level tables as a single statement in its own implicit
 * transaction: one round trip where an interactive transaction costs three (BEGIN,
 * the read, COMMIT). For hot reads that need no other statement beside them (the
 * session check on every request); anything that writes, or reads twice, takes withSystem.
 */
export function systemRead<T>(query: TemplateStringsArray, ...values: unknown[]): Promise<T[]> {
  return getPrisma().$queryRaw<T[]>(query, ...values);
}

/** Instance-level tables (users, sessions, instance settings); no tenant context. */
export async function withSystem<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return runCommitting(() => getPrisma().$transaction(work, OPTIONS));
}

async function withSetting<T>(name: "app.user_id", value: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return runCommitting(() =>
    getPrisma().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT set_config(${name}, ${value}, true)`;
      return work(tx);
    }, OPTIONS),
  );
}

/** As withSystem, and the user's own memberships (and their workspaces) become visible. */
export function withUser<T>(userId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return withSetting("app.user_id", userId, work);
}
