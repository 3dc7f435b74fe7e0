import type pg from "pg";
import { decrypt, DecryptionError, encrypt, type Keyring } from "./envelope";

// Every column that holds a value sealed by lib/crypto/envelope.ts, each sealed with
// its row's id as associated data. A new sealed column is added here, and
// `npm run keys:rotate` re-encrypts it too.
type SealedColumn = { table: string; column: string; id: string };

export const SEALED_COLUMNS: SealedColumn[] = [
  { table: "users", column: "mfa_secret_enc", id: "id" },
  { table: "users", column: "mfa_pending_secret_enc", id: "id" },
];

export type RotationReport = {
  columns: { name: string; reencrypted: number; current: number; unreadable: number }[];
  /** Values still sealed under a key other than the current one (unreadable or changed meanwhile). */
  remaining: number;
};

const BATCH = 500;

/**
 * Re-encrypts, under the current master key, every sealed value whose envelope names
 * another key. Each value is replaced with one conditional UPDATE (`WHERE column =
 * the value read`), so a value the app rewrote meanwhile is left alone, never
 * overwritten with the old secret. Values no configured key opens are counted, not
 * touched.
 */
export async function rotateSealedValues(options: { client: pg.Client; keyring: Keyring }): Promise<RotationReport> {
  const { client, keyring } = options;
  const currentPrefix = `v1.${keyring.current.id}.`;
  const report: RotationReport = { columns: [], remaining: 0 };
  for (const sealed of SEALED_COLUMNS) {
    const table = client.escapeIdentifier(sealed.table);
    const column = client.escapeIdentifier(sealed.column);
    const id = client.escapeIdentifier(sealed.id);
    const counts = { name: `${sealed.table}.${sealed.column}`, reencrypted: 0, current: 0, unreadable: 0 };
    let after = "";
    for (;;) {
      const { rows } = await client.query<{ id: string; value: string }>(
        `SELECT ${id}::text AS id, ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL AND ${id}::text > $1 ORDER BY ${id}::text LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      for (const row of rows) {
        if (row.value.startsWith(currentPrefix)) {
          counts.current++;
          continue;
        }
        let plaintext: string;
        try {
          plaintext = decrypt(row.value, row.id, keyring);
        } catch (error) {
          if (!(error instanceof DecryptionError)) throw error;
          counts.unreadable++;
          continue;
        }
        const updated = await client.query(`UPDATE ${table} SET ${column} = $1 WHERE ${id}::text = $2 AND ${column} = $3`, [encrypt(plaintext, row.id, keyring), row.id, row.value]);
        if (updated.rowCount) counts.reencrypted++;
      }
    }
    const left = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} IS NOT NULL AND ${column} NOT LIKE $1`, [`${currentPrefix}%`]);
    report.remaining += left.rows[0].n;
    report.columns.push(counts);
  }
  return report;
}
