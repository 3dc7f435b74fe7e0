import type pg from "pg";
import { dataKeyContext } from "../secrets/data-key-context";
import { DecryptionError } from "./envelope";
import { UnknownWrappingKeyError, type KeyProvider } from "./key-provider";

export type RewrapReport = {
  rewrapped: number;
  current: number;
  /** Data keys wrapped under a fingerprint the provider does not hold, by that fingerprint. */
  unknown: Record<string, number>;
  /** Data keys a held key does not open: the wrapped key or its row was altered. */
  tampered: number;
  /** Data keys still not wrapped under the current fingerprint once the pass is done. */
  remaining: number;
};

const BATCH = 500;

type Row = { id: string; workspace_id: string; wrapped_key: string; kek_fingerprint: string };

/**
 * Re-wraps, under the provider's current key, every workspace data key wrapped under
 * another one: unwrapped and wrapped again with the same context (workspace and key
 * id), so no value sealed with the data key changes. Each row is replaced by one
 * conditional UPDATE (`WHERE wrapped_key = the value read`): a row changed meanwhile
 * is left as it is and counted in `remaining`, never overwritten. Works through the
 * KeyProvider interface only, so moving from the environment key to a KMS is this
 * same pass.
 *
 * `client` is the owner's connection: the owner policy on workspace_data_keys (or
 * being a superuser) shows it every workspace's keys.
 */
export async function rewrapDataKeys(options: { client: pg.Client; provider: KeyProvider }): Promise<RewrapReport> {
  const { client, provider } = options;
  await assertSeesEveryDataKey(client);
  const report: RewrapReport = { rewrapped: 0, current: 0, unknown: {}, tampered: 0, remaining: 0 };
  let after = "";
  for (;;) {
    const { rows } = await client.query<Row>(
      `SELECT id::text AS id, workspace_id::text AS workspace_id, wrapped_key, kek_fingerprint
         FROM public.workspace_data_keys WHERE id::text > $1 ORDER BY id::text LIMIT ${BATCH}`,
      [after],
    );
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    for (const row of rows) {
      if (row.kek_fingerprint === provider.fingerprint) {
        report.current++;
        continue;
      }
      const context = dataKeyContext(row.workspace_id, row.id);
      let key: Buffer;
      try {
        key = await provider.unwrap(row.wrapped_key, context);
      } catch (error) {
        if (error instanceof UnknownWrappingKeyError) {
          report.unknown[error.fingerprint] = (report.unknown[error.fingerprint] ?? 0) + 1;
          continue;
        }
        if (error instanceof DecryptionError) {
          report.tampered++;
          continue;
        }
        throw error;
      }
      try {
        const wrapped = await provider.wrap(key, context);
        const updated = await client.query(`UPDATE public.workspace_data_keys SET wrapped_key = $1, kek_fingerprint = $2 WHERE id = $3::uuid AND wrapped_key = $4`, [
          wrapped,
          provider.fingerprint,
          row.id,
          row.wrapped_key,
        ]);
        if (updated.rowCount) report.rewrapped++;
      } finally {
        key.fill(0);
      }
    }
  }
  const left = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.workspace_data_keys WHERE kek_fingerprint <> $1`, [provider.fingerprint]);
  report.remaining = left.rows[0].n;
  return report;
}

/**
 * FORCE RLS holds the owner too: only a superuser, a BYPASSRLS role, or a role the
 * owner policy names (the one the migrations ran as) sees every workspace's keys.
 * Any other role would see none and report that nothing needs the old key, so it is
 * refused rather than believed.
 */
export async function assertSeesEveryDataKey(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ sees: boolean; role: string }>(
    `SELECT current_user AS role,
            (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)
            OR EXISTS (SELECT 1 FROM pg_policies p, unnest(p.roles) AS r(name)
                        WHERE p.schemaname = 'public' AND p.tablename = 'workspace_data_keys'
                          AND p.policyname = 'workspace_data_keys_owner_maintenance'
                          AND (r.name = 'public' OR pg_has_role(current_user, r.name, 'MEMBER'))) AS sees`,
  );
  if (!rows[0].sees) {
    throw new Error(`the role ${rows[0].role} cannot see every workspace's data keys (Row-Level Security): connect as the role the migrations ran as, or a superuser`);
  }
}

/** Every fingerprint some data key is wrapped under, with how many keys. */
export async function dataKeyFingerprints(client: pg.Client): Promise<Map<string, number>> {
  await assertSeesEveryDataKey(client);
  const { rows } = await client.query<{ fingerprint: string; n: number }>(
    `SELECT kek_fingerprint AS fingerprint, count(*)::int AS n FROM public.workspace_data_keys GROUP BY kek_fingerprint ORDER BY kek_fingerprint`,
  );
  return new Map(rows.map((r) => [r.fingerprint, r.n]));
}
