import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { context, ownerClient, PASSWORD, seedMember, seedWorkspace, type SeededWorkspace } from "../support/owner-db";
import { signInWithPassword } from "../../lib/auth/sign-in-with-password";
import { checkSession } from "../../lib/auth/sessions/check-session";
import { getConsoleContext } from "../../lib/workspaces/console-context";
import { recordSecurityNotice } from "../../lib/notices/record-security-notice";
import { withSystem } from "../../lib/db/system";

// What a signed-in page costs in database round trips before its own reads: the
// session check (middleware and page each make one) and the page's context. Every
// statement the app's pool sends is counted, so a change that adds a round trip to
// every request fails here, and so does one that drops a check.

let owner: pg.Client;
let ws: SeededWorkspace;
let other: SeededWorkspace;
const sent: string[] = [];
const query = pg.Client.prototype.query;

beforeAll(async () => {
  owner = await ownerClient();
  ws = await seedWorkspace(owner, "trips");
  other = await seedWorkspace(owner, "trips-other");
  // The owner's own client is not the app's pool: counted only while `counting` is set.
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (counting && this !== owner)
      sent.push(
        String((args[0] as { text?: string })?.text ?? args[0])
          .replace(/\s+/g, " ")
          .trim()
          .slice(0, 60),
      );
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
});
afterAll(async () => {
  pg.Client.prototype.query = query;
  await owner.end();
});
let counting = false;
afterEach(() => {
  counting = false;
  sent.length = 0;
});

async function counted<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  sent.length = 0;
  counting = true;
  try {
    const result = await work();
    return { result, statements: [...sent] };
  } finally {
    counting = false;
  }
}

async function signIn(email: string) {
  const result = await signInWithPassword({ email, password: PASSWORD, context: context() });
  if (result.kind !== "session") throw new Error("expected a session");
  return result;
}
const check = (token: string, rotate = true) => checkSession(token, { rotate, context: context() });

describe("a signed-in request's round trips", () => {
  it("a live session with nothing due is checked in one statement that writes nothing", async () => {
    const member = await seedMember(owner, ws.workspaceId, "developer");
    const { token, sessionId } = await signIn(member.email);
    await check(token); // the sign-in's first touch, if due
    const before = (await owner.query(`SELECT last_seen_at, rotated_at, token_hash FROM sessions WHERE id = $1`, [sessionId])).rows[0];

    const { result, statements } = await counted(() => check(token));
    expect(result?.session.sessionId).toBe(sessionId);
    expect(result?.session.user.email).toBe(member.email);
    expect(result?.rotatedToken).toBeUndefined();
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^SELECT s\.id/);
    expect((await owner.query(`SELECT last_seen_at, rotated_at, token_hash FROM sessions WHERE id = $1`, [sessionId])).rows[0]).toEqual(before);
  });

  it("the one-statement check still refuses a session revoked or expired a moment ago", async () => {
    const member = await seedMember(owner, ws.workspaceId, "developer");
    const a = await signIn(member.email);
    const b = await signIn(member.email);
    await check(a.token);
    await check(b.token);
    await owner.query(`UPDATE sessions SET revoked_at = now(), revoked_reason = 'revoked_by_user' WHERE id = $1`, [a.sessionId]);
    await owner.query(`UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE id = $1`, [b.sessionId]);
    for (const token of [a.token, b.token]) {
      const { result, statements } = await counted(() => check(token));
      expect(result).toBeNull();
      expect(statements).toHaveLength(1);
    }
  });

  it("writes only when due: the minute's touch and the rotation are made in the transaction, once", async () => {
    const member = await seedMember(owner, ws.workspaceId, "developer");
    const { token, sessionId } = await signIn(member.email);
    await check(token);
    await owner.query(`UPDATE sessions SET last_seen_at = now() - interval '2 minutes', rotated_at = now() - interval '16 minutes' WHERE id = $1`, [sessionId]);

    const { result, statements } = await counted(() => check(token));
    expect(result?.rotatedToken).toBeDefined();
    expect(statements[0]).toMatch(/^SELECT s\.id/);
    expect(statements).toContain("BEGIN");
    expect(statements.some((s) => s.startsWith("UPDATE"))).toBe(true);
    const row = (await owner.query(`SELECT last_seen_at > now() - interval '1 minute' AS touched, rotated_at > now() - interval '1 minute' AS rotated FROM sessions WHERE id = $1`, [sessionId]))
      .rows[0];
    expect(row).toEqual({ touched: true, rotated: true });

    // The old token, within the grace window, is still honoured and rotates nothing.
    const again = await counted(() => check(token));
    expect(again.result?.session.sessionId).toBe(sessionId);
    expect(again.result?.rotatedToken).toBeUndefined();
  });

  it("the page's context (memberships, operator flag, notices) is one statement in the user's transaction, and shows only the user's own", async () => {
    const member = await seedMember(owner, ws.workspaceId, "editor");
    await owner.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'viewer')`, [other.workspaceId, member.id]);
    const stranger = await seedMember(owner, other.workspaceId, "admin");
    await withSystem((tx) => recordSecurityNotice(tx, member.id, "password_changed"));
    await withSystem((tx) => recordSecurityNotice(tx, stranger.id, "mfa_disabled"));

    const { result, statements } = await counted(() => getConsoleContext(member.id));
    expect(statements).toEqual(["BEGIN", "SELECT set_config($1, $2, true)", expect.stringMatching(/^SELECT \(SELECT coalesce/), "COMMIT"]);
    expect(result.memberships.map((m) => [m.workspaceId, m.role]).sort()).toEqual(
      [
        [ws.workspaceId, "editor"],
        [other.workspaceId, "viewer"],
      ].sort(),
    );
    expect(result.isOperator).toBe(false);
    expect(result.notices.map((n) => n.kind)).toEqual(["password_changed"]);
    expect(result.notices[0].createdAt).toBeInstanceOf(Date);
  });
});
