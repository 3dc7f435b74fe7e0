import pg from "pg";
import { computeEventHash, computeLegacyEventHash, GENESIS_HASH } from "./audit-chain";
import type { AuditKeyring } from "./audit-chain-keys";
import { CHAIN_COLUMNS, type ChainRow } from "./verify-audit-chain";

export type RekeyReport = { workspaces: number; events: number; refused: { workspaceId: string; seq: string }[] };

/**
 * Once, at start-up after the migrations: events written before the chain was
 * keyed (key_id NULL, plain SHA-256) are re-hashed with the current key, per
 * workspace in seq order, so that verification can refuse every unkeyed event.
 *
 * Nothing is vouched for that did not verify: each event's old hash and link are
 * checked first, and a workspace is re-keyed only up to its first event that fails
 * them. That event and the rest stay as they are (unkeyed), so verification keeps
 * reporting the break where it is, and the next start tries again (finding nothing
 * new to do). Events already keyed after a legacy prefix are re-linked too.
 *
 * Runs as the owner in one transaction per workspace, with the append-only trigger
 * and FORCE RLS lifted for that transaction only (DDL is transactional: no other
 * session ever sees them lifted), under the workspace's chain lock.
 */
export async function rekeyLegacyChain(options: { ownerUrl: string; keyring: AuditKeyring; log?: (line: string) => void }): Promise<RekeyReport> {
  const client = new pg.Client({ connectionString: options.ownerUrl });
  await client.connect();
  const report: RekeyReport = { workspaces: 0, events: 0, refused: [] };
  try {
    for (;;) {
      await client.query("BEGIN");
      try {
        await lift(client);
        const pending = await client.query<{ workspace_id: string }>(`SELECT DISTINCT workspace_id::text AS workspace_id FROM public.audit_events WHERE key_id IS NULL ORDER BY 1`);
        const todo = pending.rows.map((r) => r.workspace_id).filter((id) => !report.refused.some((r) => r.workspaceId === id));
        if (todo.length === 0) {
          await client.query("ROLLBACK");
          break;
        }
        const workspaceId = todo[0];
        const result = await rekeyWorkspace(client, workspaceId, options.keyring);
        report.events += result.rekeyed;
        report.workspaces += 1;
        if (result.refusedAt) {
          report.refused.push({ workspaceId, seq: result.refusedAt });
          options.log?.(`audit chain of workspace ${workspaceId} does not verify at event #${result.refusedAt}; re-keyed up to it only`);
        }
        await restore(client);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
    }
  } finally {
    await client.end();
  }
  if (report.events > 0) options.log?.(`re-keyed ${report.events} audit events in ${report.workspaces} workspaces`);
  return report;
}

async function lift(client: pg.Client) {
  await client.query("SET LOCAL lock_timeout = '10s'");
  await client.query("ALTER TABLE public.audit_events NO FORCE ROW LEVEL SECURITY");
  await client.query("ALTER TABLE public.audit_events DISABLE TRIGGER audit_events_no_update_delete");
}

async function restore(client: pg.Client) {
  await client.query("ALTER TABLE public.audit_events ENABLE TRIGGER audit_events_no_update_delete");
  await client.query("ALTER TABLE public.audit_events FORCE ROW LEVEL SECURITY");
}

async function rekeyWorkspace(client: pg.Client, workspaceId: string, keyring: AuditKeyring): Promise<{ rekeyed: number; refusedAt: string | null }> {
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended('audit_events:' || $1::text, 0))", [workspaceId]);
  const { rows } = await client.query<ChainRow>(`SELECT ${CHAIN_COLUMNS} FROM public.audit_events e WHERE e.workspace_id = $1::uuid ORDER BY e.seq`, [workspaceId]);
  let oldPrevious = GENESIS_HASH;
  let newPrevious = GENESIS_HASH;
  let expectedSeq = 1n;
  let rekeyed = 0;
  for (const row of rows) {
    const seq = BigInt(row.seq);
    const event = { ...row, seq };
    const key = row.keyId ? keyring.all.get(row.keyId) : undefined;
    const oldHashHolds = row.keyId === null ? computeLegacyEventHash(event) === row.hash : key !== undefined && computeEventHash(event, key) === row.hash;
    if (seq !== expectedSeq || row.prevHash !== oldPrevious || !oldHashHolds) return { rekeyed, refusedAt: seq.toString() };
    const hash = computeEventHash({ ...event, prevHash: newPrevious }, keyring.current);
    if (hash !== row.hash || row.keyId !== keyring.current.id || row.prevHash !== newPrevious) {
      await client.query(`UPDATE public.audit_events SET prev_hash = $2, hash = $3, key_id = $4 WHERE id = $1::uuid`, [row.id, newPrevious, hash, keyring.current.id]);
      rekeyed += 1;
    }
    oldPrevious = row.hash;
    newPrevious = hash;
    expectedSeq += 1n;
  }
  return { rekeyed, refusedAt: null };
}
