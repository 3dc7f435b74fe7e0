import type { Tx } from "../db/with-workspace";

/**
 * Where an audit writer runs: the app's transaction (Prisma), or an owner's pg
 * connection inside a transaction (the demo seed, the benchmark, test fixtures).
 * Either way the caller's transaction has set app.workspace_id, and the writer's
 * two statements run in it, under one chain lock.
 */
export type AuditDb = Tx | { query: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }> };

export async function auditQuery<T>(db: AuditDb, sql: string, values: unknown[]): Promise<T[]> {
  if ("$queryRawUnsafe" in db) return db.$queryRawUnsafe<T[]>(sql, ...values);
  return (await db.query(sql, values)).rows as T[];
}
