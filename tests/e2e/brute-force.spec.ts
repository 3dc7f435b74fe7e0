import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { freshIp, query, seedWorkspace } from "./support/seed";
import { formAlert, newClient, postCredentials, SESSION_COOKIE, signIn, submitSignIn } from "./support/sign-in";

// Guessing passwords gets nowhere: five failures lock the account (here for 5 s,
// LOCKOUT_DURATION_SECONDS in global-setup), every refusal looks the same, and one
// address gets five attempts a minute.

// next-auth's answer to any refused credentials sign-in: 401 and where its error page is.
const REFUSED_STATUS = 401;
const FAILED = /\/api\/auth\/error\?error=CredentialsSignin&provider=credentials$/;

/** Five wrong passwords, each from its own address so the per-address limit stays out of it. */
async function lockAccount(request: APIRequestContext, email: string) {
  for (let i = 0; i < 5; i++) {
    const response = await postCredentials(request, { email, password: `wrong guess ${i} xyz`, ip: freshIp() });
    expect(response.status()).toBe(REFUSED_STATUS);
    expect(((await response.json()) as { url: string }).url).toMatch(FAILED);
  }
}

const lockedUntil = async (userId: string) =>
  (await query<{ locked_until: Date | null; ms_left: number | null }>(`SELECT locked_until, extract(epoch FROM locked_until - now()) * 1000 AS ms_left FROM users WHERE id = $1`, [userId]))[0];

// Sign-in failures, locks and their expiry are events of the person's account
// (account_events), never of the workspaces they belong to.
const lastFailureReason = async (userId: string) =>
  (
    await query<{ reason: string }>(
      `SELECT metadata->>'reason' AS reason FROM account_events WHERE user_id = $1 AND action = 'auth.sign_in_failed' AND target_id = $2
     ORDER BY occurred_at DESC, id DESC LIMIT 1`,
      [userId, userId],
    )
  )[0]?.reason;

/** The workspace's own log: it holds no sign-in, failure or lock of its members. */
const workspaceAuthEvents = async (workspaceId: string) =>
  (await query<{ action: string }>(`SELECT action FROM audit_events WHERE workspace_id = $1 AND action LIKE 'auth.%'`, [workspaceId])).map((r) => r.action);

function expectRateLimitHeaders(response: APIResponse) {
  const h = response.headers();
  for (const name of ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"]) expect(h[name], name).toMatch(/^\d+$/);
}

test("five wrong passwords lock the account: the right password is refused until the lock lifts", async ({ browser, request }) => {
  const ws = await seedWorkspace({ victim: "viewer" }, "lockout");
  const victim = ws.users.victim;

  await lockAccount(request, victim.email);
  const lock = await lockedUntil(victim.id);
  expect(lock.locked_until).not.toBeNull();
  expect(Number(lock.ms_left)).toBeGreaterThan(0);
  expect(Number(lock.ms_left)).toBeLessThanOrEqual(5_000);
  const locked = await query<{ actor_label: string; metadata: { failuresInWindow: number } }>(
    `SELECT actor_label, metadata FROM account_events WHERE user_id = $1 AND action = 'auth.account_locked' AND target_id = $2`,
    [victim.id, victim.id],
  );
  expect(locked).toHaveLength(1);
  expect(locked[0].actor_label).toBe("brute-force protection");
  expect(locked[0].metadata.failuresInWindow).toBe(5);

  // The server's 5 s lock is proven above; a busy machine can take longer than that to open a
  // browser and type, so the lock is held open here while the right password is tried, then set
  // to lift a second later.
  await query(`UPDATE users SET locked_until = now() + interval '10 minutes' WHERE id = $1`, [victim.id]);

  // While locked, the correct password gets the same answer as a wrong one.
  const { context, page } = await newClient(browser);
  await submitSignIn(page, victim.email, ws.password);
  await expect(formAlert(page)).toHaveText("Invalid email or password");
  await expect(page).toHaveURL(/\/sign-in$/);
  expect(await lastFailureReason(victim.id)).toBe("account_locked");
  expect(await query(`SELECT 1 FROM sessions WHERE user_id = $1`, [victim.id])).toHaveLength(0);

  // Once the lock has lifted, the same password signs in.
  await query(`UPDATE users SET locked_until = now() + interval '1 second' WHERE id = $1`, [victim.id]);
  const { ms_left } = await lockedUntil(victim.id);
  await page.waitForTimeout(Math.max(0, Number(ms_left)) + 750);
  await signIn(page, victim.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });
  expect((await lockedUntil(victim.id)).locked_until).toBeNull();
  const unlocked = await query<{ actor_label: string; metadata: { automatic: boolean } }>(
    `SELECT actor_label, metadata FROM account_events WHERE user_id = $1 AND action = 'auth.account_unlocked' AND target_id = $2`,
    [victim.id, victim.id],
  );
  expect(unlocked).toHaveLength(1);
  expect(unlocked[0].actor_label).toBe("lockout expiry");
  expect(unlocked[0].metadata.automatic).toBe(true);
  // None of it reached the workspace's log, which its admins read.
  expect(await workspaceAuthEvents(ws.workspaceId)).toEqual([]);

  await context.close();
});

test("an unknown email, a wrong password and a locked account get the identical answer", async ({ request }) => {
  const ws = await seedWorkspace({ known: "developer", locked: "developer" }, "same-answer");
  await lockAccount(request, ws.users.locked.email);
  expect((await lockedUntil(ws.users.locked.id)).locked_until).not.toBeNull();
  // Held open so the locked attempt below cannot outlast the 5 s lock on a busy machine.
  await query(`UPDATE users SET locked_until = now() + interval '10 minutes' WHERE id = $1`, [ws.users.locked.id]);

  const attempts = {
    locked: await postCredentials(request, { email: ws.users.locked.email, password: ws.password, ip: freshIp() }),
    unknown: await postCredentials(request, { email: `nobody-${randomUUID().slice(0, 8)}@example.test`, password: ws.password, ip: freshIp() }),
    wrongPassword: await postCredentials(request, { email: ws.users.known.email, password: "not the password at all", ip: freshIp() }),
  };
  expect(await lastFailureReason(ws.users.locked.id)).toBe("account_locked");
  expect(await lastFailureReason(ws.users.known.id)).toBe("wrong_password");
  expect(await workspaceAuthEvents(ws.workspaceId)).toEqual([]);

  const answers = await Promise.all(
    Object.entries(attempts).map(async ([why, response]) => {
      expectRateLimitHeaders(response);
      const cookies = response
        .headersArray()
        .filter((h) => h.name.toLowerCase() === "set-cookie")
        .map((h) => h.value);
      expect(
        cookies.some((c) => c.startsWith(`${SESSION_COOKIE}=`)),
        `${why} sets no session cookie`,
      ).toBe(false);
      return { why, status: response.status(), body: await response.text() };
    }),
  );
  expect(answers[0].status).toBe(REFUSED_STATUS);
  expect((JSON.parse(answers[0].body) as { url: string }).url).toMatch(FAILED);
  for (const answer of answers.slice(1)) {
    expect(answer.status, answer.why).toBe(answers[0].status);
    expect(answer.body, answer.why).toBe(answers[0].body);
  }
  expect(await query(`SELECT 1 FROM sessions WHERE user_id = ANY($1::uuid[])`, [[ws.users.known.id, ws.users.locked.id]])).toHaveLength(0);
});

test("the sixth sign-in attempt from one address within a minute is refused with 429 and says when to retry", async ({ browser, request }) => {
  const ws = await seedWorkspace({ member: "editor" }, "rate-limit");
  const { context, page, ip } = await newClient(browser);

  for (let i = 1; i <= 5; i++) {
    const response = await postCredentials(request, { email: `guess-${randomUUID().slice(0, 8)}@example.test`, password: "guessing", ip });
    expect(response.status()).toBe(REFUSED_STATUS);
    expect(response.headers()["ratelimit-limit"]).toBe("5");
    expect(response.headers()["ratelimit-remaining"]).toBe(String(5 - i));
  }
  const refused = await postCredentials(request, { email: ws.users.member.email, password: ws.password, ip });
  expect(refused.status()).toBe(429);
  const h = refused.headers();
  expectRateLimitHeaders(refused);
  expect(h["ratelimit-limit"]).toBe("5");
  expect(h["ratelimit-remaining"]).toBe("0");
  const retryAfter = Number(h["retry-after"]);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(((await refused.json()) as { message: string }).message).toContain("Too many sign-in attempts");

  // The browser at that address is told to wait, even with the right password.
  await submitSignIn(page, ws.users.member.email, ws.password);
  await expect(formAlert(page)).toHaveText(/^Too many sign-in attempts\. Try again in \d+ seconds \(at .+\)\.$/);
  await expect(page).toHaveURL(/\/sign-in$/);
  expect(await query(`SELECT 1 FROM sessions WHERE user_id = $1`, [ws.users.member.id])).toHaveLength(0);

  // The limit is per address: the same person elsewhere signs in.
  const elsewhere = await newClient(browser);
  await signIn(elsewhere.page, ws.users.member.email, ws.password, { landsOn: new RegExp(`/w/${ws.slug}$`) });

  await context.close();
  await elsewhere.context.close();
});
