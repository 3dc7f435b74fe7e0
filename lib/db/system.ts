import { getPrisma, type Tx } from "./client";

// The named system paths that run outside a workspace: the session lookup, the
// first-run setup and the signed-in user's own data. Workspace tables stay behind
// RLS here: with no workspace context they show no rows, except a user's own
// memberships when that user's id is set.

/** Instance-level tables (users, sessions, instance settings); no tenant context. */
export async function withSystem<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return getPrisma().$transaction(work, { timeout: 20_000, maxWait: 10_000 });
}

/** As withSystem, and the user's own memberships (and their workspaces) become visible. */
export async function withUser<T>(userId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return getPrisma().$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT set_config('app.user_id', ${userId}, true)`;
      return work(tx);
    },
    { timeout: 20_000, maxWait: 10_000 },
  );
}

/**
 * An API key lookup before its workspace is known: RLS shows exactly the one key
 * row whose hash the caller already holds (policy api_keys_lookup_by_hash).
 */
export async function withApiKeyHash<T>(keyHash: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return getPrisma().$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT set_config('app.api_key_hash', ${keyHash}, true)`;
      return work(tx);
    },
    { timeout: 20_000, maxWait: 10_000 },
  );
}
