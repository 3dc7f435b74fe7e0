/**
 * PostgreSQL's SQLSTATE and message from a driver error, whether it comes from the
 * Prisma adapter (wrapped) or from node-postgres directly; null for anything else.
 * For database functions that refuse with a code a domain function turns into an AppError.
 */
export function postgresErrorOf(error: unknown): { code: string; message: string; detail?: string } | null {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      originalCode?: unknown;
      originalMessage?: unknown;
      code?: unknown;
      message?: unknown;
      detail?: unknown;
      severity?: unknown;
      cause?: unknown;
      meta?: { driverAdapterError?: unknown };
    };
    if (typeof e.originalCode === "string" && typeof e.originalMessage === "string") return { code: e.originalCode, message: e.originalMessage };
    if (typeof e.severity === "string" && typeof e.code === "string" && typeof e.message === "string") {
      return { code: e.code, message: e.message, detail: typeof e.detail === "string" ? e.detail : undefined };
    }
    current = e.cause ?? e.meta?.driverAdapterError;
  }
  return null;
}
