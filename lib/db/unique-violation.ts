// PostgreSQL's unique_violation (23505), however the driver adapter or Prisma wraps
// it: for a statement whose refusal by a unique index is the answer (the index
// decides, so two writers racing for one name cannot both win).
export function isUniqueViolation(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown; code?: unknown } };
    if (e.originalCode === "23505" || e.code === "23505" || e.code === "P2002" || e.meta?.code === "23505") return true;
    current = e.cause ?? e.meta?.driverAdapterError;
  }
  return false;
}
