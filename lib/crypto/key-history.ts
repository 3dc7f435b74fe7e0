import type pg from "pg";
import type { KeyProvider } from "./key-provider";
import { SEALED_COLUMNS } from "./rotate-sealed-values";

// key_history: every master key fingerprint Warden has met (never a key), which one
// is current and since when, and when an old one stopped being needed. Written as
// the owner only (the app role holds no privilege on it): at start-up, which records
// the configured keys, and by `npm run keys:rotate`, which also retires keys.

export type KeyHistoryRow = { fingerprint: string; provider: string; firstSeenAt: Date; currentSince: Date | null; retiredAt: Date | null };

/** Fingerprints still needed: some data key is wrapped, or some sealed column sealed, under each. */
export async function fingerprintsInUse(client: pg.Client): Promise<Set<string>> {
  const inUse = new Set<string>();
  const keys = await client.query<{ f: string }>(`SELECT DISTINCT kek_fingerprint AS f FROM public.workspace_data_keys`);
  for (const r of keys.rows) inUse.add(r.f);
  for (const sealed of SEALED_COLUMNS) {
    const column = client.escapeIdentifier(sealed.column);
    const { rows } = await client.query<{ f: string }>(`SELECT DISTINCT split_part(${column}, '.', 2) AS f FROM public.${client.escapeIdentifier(sealed.table)} WHERE ${column} IS NOT NULL`);
    for (const r of rows) inUse.add(r.f);
  }
  return inUse;
}

/**
 * Records the provider's current fingerprint (current since now, unless it already
 * was the latest current one), its previous ones and any other fingerprint in use as
 * seen. With `inUse` (keys:rotate, after its pass), every other fingerprint nothing
 * uses any more is marked retired, and one in use again is not.
 */
export async function recordKeyHistory(client: pg.Client, options: { provider: KeyProvider; inUse?: Set<string> }): Promise<void> {
  const { provider, inUse } = options;
  await client.query("BEGIN");
  try {
    // Serializes concurrent recorders (two starts, a start and a rotation).
    await client.query("LOCK TABLE public.key_history IN SHARE ROW EXCLUSIVE MODE");
    await client.query(
      `INSERT INTO public.key_history (fingerprint, provider, current_since) VALUES ($1, $2, now())
       ON CONFLICT (fingerprint) DO UPDATE SET retired_at = NULL,
         current_since = CASE WHEN key_history.current_since IS NOT NULL
                               AND NOT EXISTS (SELECT 1 FROM public.key_history k WHERE k.current_since > key_history.current_since)
                              THEN key_history.current_since ELSE now() END`,
      [provider.fingerprint, provider.name],
    );
    const seen = [...new Set([...provider.fingerprints, ...(inUse ?? [])])].filter((f) => f !== provider.fingerprint);
    // A fingerprint seen only on a stored key is not one this provider holds; its kind is unknown.
    const providers = seen.map((f) => (provider.fingerprints.includes(f) ? provider.name : "unknown"));
    await client.query(`INSERT INTO public.key_history (fingerprint, provider) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (fingerprint) DO NOTHING`, [seen, providers]);
    if (inUse) {
      await client.query(`UPDATE public.key_history SET retired_at = now() WHERE retired_at IS NULL AND fingerprint <> $1 AND NOT (fingerprint = ANY($2::text[]))`, [provider.fingerprint, [...inUse]]);
      await client.query(`UPDATE public.key_history SET retired_at = NULL WHERE retired_at IS NOT NULL AND fingerprint = ANY($1::text[])`, [[...inUse]]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

export async function readKeyHistory(client: pg.Client): Promise<KeyHistoryRow[]> {
  const { rows } = await client.query(
    `SELECT fingerprint, provider, first_seen_at AS "firstSeenAt", current_since AS "currentSince", retired_at AS "retiredAt"
       FROM public.key_history ORDER BY first_seen_at, fingerprint`,
  );
  return rows as KeyHistoryRow[];
}
