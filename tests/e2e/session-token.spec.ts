import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { SERVER_LOG } from "./support/paths";
import { query, seedWorkspace } from "./support/seed";
import { expectSignedOut, newClient, SESSION_COOKIE, sessionCookie, signedInClient } from "./support/sign-in";

// The session cookie is an opaque 256-bit token the database knows only by its
// SHA-256; it rotates every 15 minutes, and any rotated-away token of the session
// (its token family) presented after the 30-second grace is taken as stolen.

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

test("the session cookie is HttpOnly, SameSite=Lax, Path=/, and the database stores only its SHA-256", async ({ browser }) => {
  const ws = await seedWorkspace({ dev: "developer" }, "cookie");
  const client = await signedInClient(browser, ws.users.dev, ws.password, ws.slug);
  const cookie = await sessionCookie(client.context);

  expect(cookie.httpOnly).toBe(true);
  expect(cookie.sameSite).toBe("Lax");
  expect(cookie.path).toBe("/");
  // Served over plain http in this run; Secure (and the __Host- name) come with an https WARDEN_URL.
  expect(cookie.secure).toBe(false);
  // 32 random bytes in base64url: 43 characters at least.
  expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43,}$/);

  const sessions = await query<{ token_hash: string; sql_hash: string; previous_token_hash: string | null }>(
    `SELECT token_hash, encode(sha256(convert_to($1, 'UTF8')), 'hex') AS sql_hash, previous_token_hash FROM sessions WHERE user_id = $2`,
    [cookie.value, ws.users.dev.id],
  );
  expect(sessions).toHaveLength(1);
  expect(sessions[0].token_hash).toBe(sessions[0].sql_hash);
  expect(sessions[0].token_hash).toBe(sha256(cookie.value));

  // The raw token appears in no column of any row that could hold it, nor in the server's log.
  const [found] = await query<{ sessions: string; audit: string; account: string; users: string }>(
    `SELECT (SELECT count(*) FROM sessions s WHERE strpos(s::text, $1) > 0) AS sessions,
            (SELECT count(*) FROM audit_events a WHERE strpos(a::text, $1) > 0) AS audit,
            (SELECT count(*) FROM account_events e WHERE strpos(e::text, $1) > 0) AS account,
            (SELECT count(*) FROM users u WHERE strpos(u::text, $1) > 0) AS users`,
    [cookie.value],
  );
  expect(found).toEqual({ sessions: "0", audit: "0", account: "0", users: "0" });
  expect(readFileSync(SERVER_LOG, "utf8")).not.toContain(cookie.value);

  await client.context.close();
});

test("a token replayed after rotation and its grace window revokes the whole session", async ({ browser, baseURL }) => {
  const ws = await seedWorkspace({ admin: "admin" }, "replay");
  const legit = await signedInClient(browser, ws.users.admin, ws.password, ws.slug);
  const oldToken = (await sessionCookie(legit.context)).value;
  const [{ id: sessionId }] = await query<{ id: string }>(`SELECT id FROM sessions WHERE token_hash = $1`, [sha256(oldToken)]);

  // Rotation is due once the token is older than 15 minutes: the next request gets a new one.
  await query(`UPDATE sessions SET rotated_at = now() - interval '16 minutes' WHERE id = $1`, [sessionId]);
  await legit.page.goto(`/w/${ws.slug}/members`);
  await expect(legit.page).toHaveURL(new RegExp(`/w/${ws.slug}/members$`));
  const newToken = (await sessionCookie(legit.context)).value;
  expect(newToken).not.toBe(oldToken);
  const [rotated] = await query<{ token_hash: string; previous_token_hash: string }>(`SELECT token_hash, previous_token_hash FROM sessions WHERE id = $1`, [sessionId]);
  expect(rotated).toEqual({ token_hash: sha256(newToken), previous_token_hash: sha256(oldToken) });

  const withOldCookie = async () => {
    const client = await newClient(browser);
    await client.context.addCookies([{ name: SESSION_COOKIE, value: oldToken, url: baseURL! }]);
    return client;
  };

  // Within the 30-second grace the old token still works (a request already in flight).
  const inFlight = await withOldCookie();
  await inFlight.page.goto(`/w/${ws.slug}`);
  await expect(inFlight.page).toHaveURL(new RegExp(`/w/${ws.slug}$`));
  await expect(inFlight.page.getByRole("heading", { level: 1, name: ws.name })).toBeVisible();
  // The page prefetches its links with the old cookie too; let them land inside the
  // grace, or one arriving late is (rightly) the first reuse, from this client's address.
  await inFlight.page.waitForLoadState("networkidle");
  await inFlight.context.close();
  const [afterGrace] = await query<{ revoked_at: Date | null }>(`SELECT revoked_at FROM sessions WHERE id = $1`, [sessionId]);
  expect(afterGrace.revoked_at).toBeNull();

  // Two minutes after the rotation, the old token is a stolen one.
  await query(`UPDATE session_superseded_tokens SET superseded_at = now() - interval '2 minutes' WHERE session_id = $1`, [sessionId]);
  const attacker = await withOldCookie();
  await expectSignedOut(attacker.page, `/w/${ws.slug}`);
  // The whole session is gone, so the legitimate device is signed out too.
  await expectSignedOut(legit.page, `/w/${ws.slug}`);

  const [revoked] = await query<{ revoked_reason: string }>(`SELECT revoked_reason FROM sessions WHERE id = $1`, [sessionId]);
  expect(revoked.revoked_reason).toBe("reuse_detected");
  // An event of the person's account, not of the workspace. It names the session by
  // its non-reversible reference, the same one its sign-in was recorded with.
  const [signedIn] = await query<{ target_id: string }>(`SELECT target_id FROM account_events WHERE user_id = $1 AND action = 'auth.sign_in_succeeded'`, [ws.users.admin.id]);
  expect(signedIn.target_id).toMatch(/^[0-9a-f]{16}$/);
  const audit = await query<{ target_id: string; ip: string }>(`SELECT target_id, ip FROM account_events WHERE user_id = $1 AND action = 'session.reuse_detected'`, [ws.users.admin.id]);
  expect(audit).toEqual([{ target_id: signedIn.target_id, ip: attacker.ip }]);
  expect(JSON.stringify(await query(`SELECT * FROM account_events WHERE user_id = $1`, [ws.users.admin.id]))).not.toContain(sessionId);
  expect(await query(`SELECT 1 FROM audit_events WHERE workspace_id = $1 AND action = 'session.reuse_detected'`, [ws.workspaceId])).toHaveLength(0);

  await legit.context.close();
  await attacker.context.close();
});
