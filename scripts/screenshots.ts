// `npm run screenshots`: every page of the console at 1440 and 390 px wide, light and
// dark, as full-page PNGs in test-results/screenshots/<page>-<width>-<scheme>.png.
// Warden starts as the e2e suite starts it (scripts/start.ts, a production build, a
// fresh embedded database and secrets in a temporary directory, its own port:
// SCREENSHOTS_PORT, default 3290); the setup page is taken before anyone exists, then
// the demo is loaded (scripts/seed-demo.ts) and its owner signs in. The server and
// its database stop at the end, also when something fails.
//
// Pages are found by their routes and the sign-in form only, so the pages' own text
// can change without breaking this. A page that answers an error status, lands
// somewhere other than asked, or logs a console error is listed at the end.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from "@playwright/test";
import { generateSessionToken, hashToken } from "../lib/auth/session-token";
import { EMBEDDED_DATABASE } from "../lib/db/operator-database";

const PORT = Number(process.env.SCREENSHOTS_PORT ?? 3290);
const BASE = `http://localhost:${PORT}`;
const OUT = "test-results/screenshots";
const SERVER_LOG = `test-results/screenshots-server-${PORT}.log`;
const VARIANTS = [
  { width: 1440, height: 900, scheme: "light" },
  { width: 1440, height: 900, scheme: "dark" },
  { width: 390, height: 844, scheme: "light" },
  { width: 390, height: 844, scheme: "dark" },
] as const;
// The same browser as the e2e suite (playwright.config.ts): the system's Chromium.
const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
};

const say = (line: string) => console.log(`[screenshots] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Problem = { page: string; detail: string };
const problems: Problem[] = [];
const files: string[] = [];

let server: ChildProcess | undefined;
let dataDir: string | undefined;
let browser: Browser | undefined;

async function main() {
  const started = Date.now();
  const stale = await fetch(`${BASE}/api/health`).then(
    () => true,
    () => false,
  );
  if (stale) throw new Error(`port ${PORT} is already serving; stop that server or set SCREENSHOTS_PORT`);
  mkdirSync(OUT, { recursive: true });
  for (const f of readdirSync(OUT)) if (f.endsWith(".png")) rmSync(join(OUT, f));

  dataDir = mkdtempSync(join(tmpdir(), "warden-screenshots-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WARDEN_DATA_DIR: dataDir,
    PORT: String(PORT),
    WARDEN_URL: BASE,
    // Generated secrets stay in the run's directory, never in ~/.config.
    WARDEN_SECRETS_DIR: join(dataDir, "secrets"),
    // Each browser context stands in for its own device with X-Forwarded-For.
    TRUST_PROXY_HOPS: "1",
  };
  for (const name of ["DATABASE_URL", "APP_DATABASE_URL", "APP_DATABASE_PASSWORD", "AUTH_SECRET", "WARDEN_MASTER_KEY", "WARDEN_PREVIOUS_MASTER_KEYS"]) delete env[name];

  say(`starting Warden on port ${PORT} (builds first when the sources changed; log: ${SERVER_LOG})`);
  await startServer(env);
  say(`ready after ${((Date.now() - started) / 1000).toFixed(0)} s`);

  browser = await chromium.launch(LAUNCH);
  const visitor = await device(browser);

  // Before anyone exists.
  await capture(visitor, "setup", "/setup");

  say("loading the demo (scripts/seed-demo.ts)");
  const demo = await loadDemo(env);
  const fixtures = await seedFixtures(dataDir, demo).catch((error: Error) => {
    problems.push({ page: "fixtures", detail: `not seeded (${error.message}); the invite, reset, no-workspace and audit-event pages are skipped` });
    return null;
  });

  // Signed out.
  await capture(visitor, "sign-in", "/sign-in");
  if (fixtures) {
    await capture(visitor, "invite", `/invite/${fixtures.invitationLink}`);
    await capture(visitor, "reset", `/reset/${fixtures.resetLink}`);
  }
  await capture(visitor, "reset-done", "/reset/done");

  // A second device of the owner's, so the sessions page lists more than this one.
  const other = await device(browser, { userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15" });
  await signIn(other, demo.ownerEmail, demo.password);
  await other.context().close();

  const owner = await device(browser);
  await signIn(owner, demo.ownerEmail, demo.password);
  const w = `/w/${demo.slug}`;
  for (const [name, path] of [
    ["overview", w],
    ["members", `${w}/members`],
    ["members-roles", `${w}/members/roles`],
    ["security", `${w}/security`],
    ["audit", `${w}/audit`],
    ["api-keys", `${w}/api-keys`],
    ["usage", `${w}/usage`],
    ["secrets", `${w}/secrets`],
    ["settings", `${w}/settings`],
    ["account-security", "/account/security"],
    ["account-sessions", "/account/sessions"],
  ] as const) {
    await capture(owner, name, path);
  }
  if (fixtures) await capture(owner, "audit-event", `${w}/audit?event=${fixtures.auditEventId}`);
  await capture(owner, "not-found", "/no-such-page", 404);
  await capture(owner, "not-found-workspace", `${w}/no-such-section`, 404);

  if (fixtures) {
    const nobody = await device(browser);
    await signIn(nobody, fixtures.nobodyEmail, demo.password);
    await capture(nobody, "no-workspace", "/");
  }
  say(`captured ${files.length} screenshots in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** A browser context standing in for one device, at its own client address. */
async function device(b: Browser, options: { userAgent?: string } = {}): Promise<Page> {
  const ip = `2001:db8:${Array.from({ length: 4 }, () => randomBytes(2).toString("hex")).join(":")}::1`;
  const context: BrowserContext = await b.newContext({ ...options, baseURL: BASE, extraHTTPHeaders: { "X-Forwarded-For": ip } });
  return context.newPage();
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  try {
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 30_000 });
  } catch {
    throw new Error(`signing in as ${email} stayed on ${page.url()}`);
  }
}

/** One page in every variant; what went wrong is noted once per page. */
async function capture(page: Page, name: string, path: string, expectedStatus = 200) {
  const seen = new Set<string>();
  const note = (detail: string) => {
    if (!seen.has(detail)) problems.push({ page: name, detail });
    seen.add(detail);
  };
  const onConsole = (msg: ConsoleMessage) => {
    if (msg.type() !== "error") return;
    // Chromium does not name the resource in the text of a failed load; its location does.
    const resource = msg.location().url;
    if (/^Failed to load resource/.test(msg.text())) {
      // The document's own expected error status (a 404 page) is not a problem.
      if (expectedStatus !== 200 && new URL(resource, BASE).pathname === new URL(path, BASE).pathname) return;
      note(`${msg.text().replace(/^Failed to load resource: /, "")}: ${resource}`);
    } else {
      note(`console error: ${msg.text().slice(0, 300)}`);
    }
  };
  const onPageError = (error: Error) => note(`uncaught: ${error.message.slice(0, 300)}`);
  page.on("console", onConsole);
  page.on("pageerror", onPageError);
  try {
    for (const v of VARIANTS) {
      await page.setViewportSize({ width: v.width, height: v.height });
      await page.emulateMedia({ colorScheme: v.scheme });
      const response = await page.goto(path, { waitUntil: "load" });
      // Prefetches and client rendering settle; a page that keeps polling is taken anyway.
      await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
      await page.evaluate(() => document.fonts.ready).catch(() => {});
      const status = response?.status() ?? 0;
      if (status !== expectedStatus) note(`answered ${status}${expectedStatus !== 200 ? ` (expected ${expectedStatus})` : ""}`);
      const landed = new URL(page.url());
      const asked = new URL(path, BASE);
      if (landed.pathname !== asked.pathname) note(`landed on ${landed.pathname}${landed.search}`);
      // What is wider than the screen scrolls the whole page sideways.
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > v.width) note(`at ${v.width} px the page is ${wide} px wide`);
      const file = join(OUT, `${name}-${v.width}-${v.scheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      files.push(file);
    }
  } catch (error) {
    note(`not captured: ${(error as Error).message.split("\n")[0]}`);
  } finally {
    page.off("console", onConsole);
    page.off("pageerror", onPageError);
  }
}

async function startServer(env: NodeJS.ProcessEnv) {
  const log = createWriteStream(SERVER_LOG);
  // Its own process group: stopping it reaches the build, the server and PostgreSQL.
  server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
  };
  server.stdout!.on("data", collect);
  server.stderr!.on("data", collect);
  const deadline = Date.now() + 15 * 60_000;
  let token = false;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`Warden exited during start-up:\n${output.slice(-4000)}`);
    token ||= /setup token: \S+/.test(output);
    if (
      token &&
      (await fetch(`${BASE}/api/health`).then(
        (r) => r.ok,
        () => false,
      ))
    )
      return;
    await sleep(500);
  }
  throw new Error(`Warden did not become ready:\n${output.slice(-4000)}`);
}

type Demo = { ownerEmail: string; password: string; slug: string };

/** seed:demo against the running instance's database, reading the sign-in it prints. */
async function loadDemo(env: NodeJS.ProcessEnv): Promise<Demo> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/seed-demo.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((done) => child.on("exit", done));
  const slug = /\(\/w\/([^)\s]+)\)/.exec(output)?.[1];
  const ownerEmail = /^\s+owner\s+(\S+@\S+)\s*$/m.exec(output)?.[1];
  const password = /^\s+password: (.+)$/m.exec(output)?.[1];
  if (code !== 0 || !slug || !ownerEmail || !password) throw new Error(`seed:demo did not load the demo:\n${output.slice(-2000)}`);
  return { slug, ownerEmail, password };
}

type Fixtures = { invitationLink: string; resetLink: string; auditEventId: string; nobodyEmail: string };

/**
 * What the demo lacks for a complete tour, written with the database owner's
 * connection: pending invitations (one with a link to open), API keys, a reset link,
 * and a person in no workspace. Tokens are generated and hashed as the app does.
 */
async function seedFixtures(dir: string, demo: Demo): Promise<Fixtures> {
  const password = readFileSync(join(dir, "pg-owner-password"), "utf8").trim();
  const port = readFileSync(join(dir, "pg-port"), "utf8").trim();
  const db = new pg.Client({ connectionString: `postgresql://warden_owner:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}` });
  await db.connect();
  try {
    await db.query("BEGIN");
    const owner = (await db.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [demo.ownerEmail])).rows[0];
    // Row-level security shows a person their own workspaces, then one workspace's rows.
    await db.query("SELECT set_config('app.user_id', $1, true)", [owner.id]);
    const ws = (await db.query<{ id: string }>("SELECT id FROM workspaces WHERE slug = $1", [demo.slug])).rows[0];
    await db.query("SELECT set_config('app.workspace_id', $1, true)", [ws.id]);
    const viewer = (await db.query<{ id: string }>("SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.workspace_id = $1 AND m.role = 'viewer' LIMIT 1", [ws.id])).rows[0];

    const inviteToken = generateSessionToken();
    const week = new Date(Date.now() + 7 * 24 * 3600_000);
    await db.query(
      "INSERT INTO invitations (workspace_id, email, role, token_hash, invited_by_id, expires_at) VALUES ($1, 'new.person@example.test', 'developer', $2, $3, $4), ($1, 'contractor@example.test', 'viewer', $5, $3, $4)",
      [ws.id, hashToken(inviteToken), owner.id, week, hashToken(generateSessionToken())],
    );
    const keyRow = (name: string, lastUsed: Date | null, revoked: Date | null) =>
      db.query(
        "INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id, last_used_at, revoked_at, revoked_by_id, expires_at) VALUES ($1, $2, $3, $4, ARRAY['audit:read'], $5, $6, $7, $8, $9)",
        [ws.id, name, `wdn_live_${randomBytes(3).toString("hex")}`, hashToken(randomUUID()), owner.id, lastUsed, revoked, revoked ? owner.id : null, new Date(Date.now() + 90 * 24 * 3600_000)],
      );
    await keyRow("SIEM export", new Date(Date.now() - 3600_000), null);
    await keyRow("Nightly backup job", null, null);
    await keyRow("Old CI runner", new Date(Date.now() - 20 * 24 * 3600_000), new Date(Date.now() - 5 * 24 * 3600_000));

    const resetToken = generateSessionToken();
    const reset = await db.query<{ id: string }>("INSERT INTO password_resets (user_id, token_hash, issued_in_workspace_id, issued_by_id, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id", [
      viewer.id,
      hashToken(resetToken),
      ws.id,
      owner.id,
      new Date(Date.now() + 3600_000),
    ]);
    const nobodyEmail = "nobody@example.test";
    await db.query("INSERT INTO users (email, name, password_hash) SELECT $1, 'Nora Nobody', password_hash FROM users WHERE id = $2", [nobodyEmail, owner.id]);
    const event = (await db.query<{ id: string }>("SELECT id FROM audit_events WHERE workspace_id = $1 ORDER BY occurred_at DESC LIMIT 1", [ws.id])).rows[0];
    await db.query("COMMIT");
    return { invitationLink: `${ws.id}.${inviteToken}`, resetLink: `${reset.rows[0].id}.${resetToken}`, auditEventId: event.id, nobodyEmail };
  } catch (error) {
    await db.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await db.end();
  }
}

/** Stops the server's process group, waits for PostgreSQL to go, removes the run's files. */
async function stop() {
  await browser?.close().catch(() => {});
  const child = server;
  if (child?.pid !== undefined) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      for (let i = 0; i < 60 && child.exitCode === null && child.signalCode === null; i++) await sleep(250);
    }
  }
  if (dataDir) {
    const pidFile = join(dataDir, "pg", "postmaster.pid");
    const pgPid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").split("\n")[0]) : NaN;
    if (Number.isInteger(pgPid) && pgPid > 0) {
      for (let i = 0; i < 60 && alive(pgPid); i++) await sleep(250);
      if (alive(pgPid)) process.kill(pgPid, "SIGKILL");
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  server = undefined;
  dataDir = undefined;
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function report() {
  if (files.length) console.log(`\n${files.length} screenshots:\n${files.map((f) => `  ${f}`).join("\n")}`);
  if (problems.length) console.log(`\nPages with problems:\n${problems.map((p) => `  ${p.page}: ${p.detail}`).join("\n")}`);
  else console.log("\nNo page answered an error or logged a console error.");
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    say(`${signal}: stopping Warden`);
    void stop().finally(() => process.exit(130));
  });
}

main()
  .then(async () => {
    await stop();
    report();
  })
  .catch(async (error: Error) => {
    await stop().catch(() => {});
    report();
    console.error(`\n[screenshots] failed: ${error.message}`);
    process.exit(1);
  });
