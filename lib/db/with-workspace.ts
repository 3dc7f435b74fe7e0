import type { Readable } from "node:stream";
import { to as copyTo } from "pg-copy-streams";
import { AppError } from "../errors";
import { getCopyPool, getPrisma, type Tx } from "./client";
import { translateCommitRefusal } from "./commit-refusal";
import { runCommitting } from "./after-commit";

export type { Tx };

/**
 * The only way to reach workspace data: one interactive transaction whose first
 * statement sets the tenant context transaction-locally, so Row-Level Security
 * scopes every row and a pooled connection never carries it into another request.
 * A refusal the database makes at COMMIT (a deferred trigger) becomes the
 * AppError a person can act on here, once, rather than in every action. Work
 * queued with afterCommit (email) runs only once the transaction has committed.
 */
export async function withWorkspace<T>(workspaceId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await runCommitting(() =>
      getPrisma().$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT set_config('app.workspace_id', ${workspaceId}, true)`;
          return work(tx);
        },
        { timeout: 20_000, maxWait: 10_000 },
      ),
    );
  } catch (error) {
    throw translateCommitRefusal(error);
  }
}

/**
 * A COPY (SELECT …) TO STDOUT under the workspace's tenant context, streamed: one
 * connection, one read-only transaction whose first statement sets app.workspace_id
 * transaction-locally, as withWorkspace does, so the same forced RLS scopes the
 * rows. COPY takes no bind parameters, so the statement's values travel as bind
 * parameters of that first statement too, into the transaction-local settings
 * warden_copy.p1, p2… that the statement reads back with current_setting: no value
 * is ever spliced into SQL.
 *
 * The bytes come with backpressure: while the reader does not read, the socket is
 * not read and PostgreSQL waits. Resolves once the first bytes arrived or the COPY
 * ended, so a statement that cannot run rejects here, before anything is sent. The
 * transaction commits when the COPY has ended; if the stream fails or is destroyed
 * (the download was abandoned), the connection is closed, which ends the backend's
 * work and its transaction.
 */
export async function copyFromWorkspace(workspaceId: string, statement: { sql: string; settings: string[] }): Promise<Readable> {
  const client = await getCopyPool()
    .connect()
    .catch((error: Error) => {
      // Every COPY connection is held by another download for longer than a transaction may wait.
      if (/timeout exceeded when trying to connect/i.test(error.message)) {
        throw new AppError("unavailable", "Every export connection is busy with another download. Try again in a minute.", undefined, "exports_busy");
      }
      throw error;
    });
  let released = false;
  // A connection lost while checked out is reported here as well as to the COPY's
  // stream, which carries it to the reader; unheard, it would end the process.
  const lost = () => release(new Error("COPY connection lost"));
  client.on("error", lost);
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    client.off("error", lost);
    client.release(error ?? undefined);
  };
  try {
    await client.query("BEGIN READ ONLY");
    const settings = statement.settings.map((_, i) => `, pg_catalog.set_config('warden_copy.p${i + 1}', $${i + 2}, true)`).join("");
    await client.query(`SELECT pg_catalog.set_config('app.workspace_id', $1, true)${settings}`, [workspaceId, ...statement.settings]);
    const rows = client.query(copyTo(statement.sql));
    rows.once("end", () => {
      client.query("COMMIT").then(
        () => release(),
        (error: Error) => release(error),
      );
    });
    rows.once("close", () => {
      // Closed before its end: failed, or destroyed by the reader. A connection in
      // the middle of a COPY cannot be reused; closing it stops the backend.
      if (!rows.readableEnded) release(new Error("COPY stream closed before its end"));
    });
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        rows.off("readable", onReadable).off("error", settle);
        if (error) reject(error);
        else resolve();
      };
      const onReadable = () => settle();
      rows.once("readable", onReadable).once("error", settle);
    });
    return rows;
  } catch (error) {
    release(error as Error);
    throw error;
  }
}

/** The key row an API request presents, as withApiKeyRequest reads it. */
export type PresentedApiKey = {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_by_id: string | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date | null;
  environment_id: string | null;
  secret_names: string[];
  /** The one agent the key acts for (null: not bound). */
  agent_id: string | null;
  /** The key's own PII redaction replaces the workspace's when set (pii_redaction then lists its kinds). */
  pii_redaction_override: boolean;
  pii_redaction: string[];
};

/**
 * An /api/v1 request in one interactive transaction (one connection, one commit):
 * app.api_key_hash makes exactly the one key row whose hash the caller holds
 * visible (policy api_keys_lookup_by_hash), and the statement that reads it also
 * makes the key's workspace the tenant context, transaction-locally. `admit`
 * decides on the key (null: no such key) and may refuse with an error, which
 * rolls everything back; then `work` runs in the key's workspace, under RLS as
 * withWorkspace's work does. The hash setting is cleared in the same statement,
 * so the work sees the workspace and nothing more.
 */
export async function withApiKeyRequest<A, T>(
  keyHash: string,
  admit: (key: PresentedApiKey | null) => Promise<A>,
  work: (tx: Tx, admitted: A) => Promise<T>,
  /** How long the transaction may run before PostgreSQL's work is rolled back. */
  timeoutMs = 20_000,
): Promise<T> {
  try {
    return await runCommitting(() =>
      getPrisma().$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT set_config('app.api_key_hash', ${keyHash}, true)`;
          const rows = await tx.$queryRaw<(PresentedApiKey & { context: string })[]>`
            SELECT id::text AS id, workspace_id::text AS workspace_id, name, prefix, scopes, created_by_id::text AS created_by_id,
                   last_used_at, revoked_at, expires_at, environment_id::text AS environment_id, secret_names, agent_id::text AS agent_id,
                   pii_redaction_override, pii_redaction,
                   set_config('app.workspace_id', workspace_id::text, true) || set_config('app.api_key_hash', '', true) AS context
              FROM api_keys WHERE key_hash = ${keyHash}`;
          const admitted = await admit(rows.length === 1 ? rows[0] : null);
          return work(tx, admitted);
        },
        { timeout: timeoutMs, maxWait: Math.min(10_000, timeoutMs) },
      ),
    );
  } catch (error) {
    throw translateCommitRefusal(error);
  }
}
