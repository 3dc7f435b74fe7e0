import { AppError } from "../errors";

// Invariants the database guards at COMMIT (deferred constraint triggers) reach
// the app as a driver error with PostgreSQL's code and the trigger's message.
// The adapter drops the constraint name for codes it does not map, so each
// refusal is recognised by its SQLSTATE and the message its migration raises.

type Refusal = { sqlState: string; message: RegExp; error: () => AppError };

const REFUSALS: Refusal[] = [
  {
    // memberships_keep_an_owner (migration 20261123040000_membership_guards): the
    // domain functions check first; this reaches a person only when a path that
    // skipped the check, or a race the check lost, would leave no owner.
    sqlState: "23000",
    message: /^workspace \S+ would have no owner$/,
    error: () => new AppError("conflict", "This is the workspace's last owner. Make someone else an owner first."),
  },
];

/** PostgreSQL's code and message, from the adapter's error or Prisma's wrapping of it. */
function postgresError(error: unknown): { code: string; message: string } | null {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const e = current as { originalCode?: unknown; originalMessage?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    if (typeof e.originalCode === "string" && typeof e.originalMessage === "string") return { code: e.originalCode, message: e.originalMessage };
    current = e.cause ?? e.meta?.driverAdapterError;
  }
  return null;
}

/** The AppError a person should see for a refusal the database made, or the error unchanged. */
export function translateCommitRefusal(error: unknown): unknown {
  const pg = postgresError(error);
  if (!pg) return error;
  const refusal = REFUSALS.find((r) => r.sqlState === pg.code && r.message.test(pg.message));
  return refusal ? refusal.error() : error;
}
