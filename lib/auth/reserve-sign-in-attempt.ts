import { getConfig } from "../config";
import { withSystem } from "../db/system";
import type { RequestContext } from "../http/request-context";
import { addressKey } from "../rate-limit/address-key";

export type SignInUser = { id: string; email: string; passwordHash: string; lockedUntil: Date | null; mfaEnabledAt: Date | null };

export type RefusalReason = "account_locked" | "address_blocked" | "unknown_account";

export type SignInAttempt = {
  /** The sign_in_failures row standing for this attempt until it is known to have succeeded. */
  id: bigint;
  user: SignInUser | null;
  /** Null when the password or code may be evaluated; otherwise why it must not be. */
  refusal: RefusalReason | null;
  failuresInWindow: number;
};

/**
 * Reserves a sign-in attempt before any password or code is evaluated: under a
 * row lock on the account (and a lock on the client's address), counts the
 * account's and the address's attempts in the window, decides whether this one
 * may be evaluated, and inserts its sign_in_failures row, all in one transaction.
 * The next attempt for the account waits for the lock and then sees this row, so
 * a burst of parallel attempts is admitted no more often than LOCKOUT_THRESHOLD,
 * and a right password arriving after the threshold is refused like the rest.
 * A success deletes its own row; a failure leaves it as the failure it is.
 *
 * An unknown email runs the same statements (the lock finds no row), so a refusal
 * does the same work whether or not the account exists.
 */
export async function reserveSignInAttempt(options: { email?: string; userId?: string; context: RequestContext }): Promise<SignInAttempt> {
  const config = getConfig();
  const ip = options.context.ip;
  const ipKey = ip ? addressKey(ip) : null;
  return withSystem(async (tx) => {
    // Attempts from one address are serialised too, so its count cannot be raced past LOCKOUT_IP_THRESHOLD.
    if (ipKey) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`sign-in-address:${ipKey}`}, 0))`;
    const users = options.userId
      ? await tx.$queryRaw<SignInUser[]>`
          SELECT id::text AS id, email, password_hash AS "passwordHash", locked_until AS "lockedUntil", mfa_enabled_at AS "mfaEnabledAt"
            FROM users WHERE id = ${options.userId}::uuid FOR UPDATE`
      : await tx.$queryRaw<SignInUser[]>`
          SELECT id::text AS id, email, password_hash AS "passwordHash", locked_until AS "lockedUntil", mfa_enabled_at AS "mfaEnabledAt"
            FROM users WHERE email = ${options.email ?? ""} FOR UPDATE`;
    const user = users[0] ?? null;
    // A new statement after the lock: it sees every attempt committed by whoever held the lock before.
    // Attempts refused while the account was locked do not count once the lock has run out.
    const [counts] = await tx.$queryRaw<{ account: number; address: number }[]>`
      SELECT count(*) FILTER (WHERE user_id = ${user?.id ?? null}::uuid
                                AND occurred_at >= greatest(now() - make_interval(secs => ${config.LOCKOUT_WINDOW_SECONDS}), coalesce(${user?.lockedUntil ?? null}::timestamptz, '-infinity')))::int AS account,
             count(*) FILTER (WHERE ip_key = ${ipKey})::int AS address
        FROM sign_in_failures
       WHERE occurred_at >= now() - make_interval(secs => ${config.LOCKOUT_WINDOW_SECONDS})
         AND (user_id = ${user?.id ?? null}::uuid OR ip_key = ${ipKey})`;
    const row = await tx.signInFailure.create({ data: { userId: user?.id ?? null, ip, ipKey }, select: { id: true } });
    const locked = Boolean(user?.lockedUntil && user.lockedUntil > new Date()) || counts.account >= config.LOCKOUT_THRESHOLD;
    const refusal: RefusalReason | null = !user ? "unknown_account" : locked ? "account_locked" : counts.address >= config.LOCKOUT_IP_THRESHOLD ? "address_blocked" : null;
    return { id: row.id, user, refusal, failuresInWindow: counts.account + 1 };
  });
}
