import { expect, test, type Locator, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { AUDIT_ACTIONS, type AuditAction } from "../../lib/audit/audit-actions";
import { parseCsv } from "../support/csv";
import { query, seedWorkspace, type SeededUser } from "./support/seed";
import { appendAuditEvents } from "./support/audit-events";
import { signedInClient } from "./support/sign-in";

// What an owner does on Workspace → Audit log. Events are seeded through the one
// writer with the server's key (it gives each its seq and keyed hash); the server
// writes events of its own, so every assertion is about the actors and actions a
// test seeded itself.

type SeedEvent = {
  actor: SeededUser;
  action: AuditAction;
  target?: [type: string, id: string];
  ip?: string;
  userAgent?: string;
  requestId?: string;
  metadata?: Record<string, unknown>;
  /** When it happened; now if not given. */
  at?: string;
};

/** Appends the events in order (oldest first) through the one writer and returns their ids and seqs. */
const insertEvents = (workspaceId: string, events: SeedEvent[]): Promise<{ id: string; seq: string }[]> =>
  appendAuditEvents(
    workspaceId,
    events.map((e) => ({
      actor: { type: "user", id: e.actor.id, label: e.actor.email },
      action: e.action,
      target: e.target ? { type: e.target[0], id: e.target[1] } : undefined,
      metadata: e.metadata,
      context: { ip: e.ip ?? null, userAgent: e.userAgent ?? null, requestId: e.requestId ?? null },
      occurredAt: e.at ? new Date(e.at) : undefined,
    })),
  );

const auditPath = (slug: string) => `/w/${slug}/audit`;

/** The chain positions of the rows shown, from each row's details link ("Details of event 12"). */
const shownSeqs = (page: Page) =>
  page
    .getByTestId("table-row")
    .getByRole("link", { name: /^Details of event \d+$/ })
    .evaluateAll((links) => links.map((link) => link.getAttribute("aria-label")!.replace("Details of event ", "")));

/** The value beside a label in the details panel's definition list. */
const detail = (panel: Locator, label: string) => panel.locator("dt", { hasText: new RegExp(`^${label}$`) }).locator("xpath=following-sibling::dd[1]");

test("an owner filters by actor and actions; the filters live in the URL and a shared link shows the same events", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", admin: "admin", dev: "developer" }, "audit-filter");
  const { admin, dev } = ws.users;
  await insertEvents(ws.workspaceId, [
    { actor: admin, action: "member.role_changed", target: ["user", dev.id], metadata: { from: "viewer", to: "editor" } },
    { actor: admin, action: "session.revoked", target: ["session", randomUUID()] },
    { actor: dev, action: "member.role_changed", target: ["user", admin.id] },
    { actor: admin, action: "member.removed", target: ["user", randomUUID()] },
    { actor: admin, action: "member.invited", target: ["invitation", randomUUID()] },
    { actor: admin, action: "member.role_changed", target: ["user", dev.id], metadata: { from: "editor", to: "developer" } },
  ]);
  const owner = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  const { page } = owner;
  await page.goto(auditPath(ws.slug));
  const actions = page.getByTestId("audit-action");
  // Rows name people (seeded as "<key> (<role>)") and label actions in words.
  await expect(page.getByTestId("audit-actor").filter({ hasText: "dev (developer)" })).toHaveCount(1);

  const form = page.getByRole("form", { name: "Filter the audit log" });
  // The actor is found by typing: the keyboard picks the match, which fills the field.
  const actor = form.getByRole("combobox", { name: "Actor" });
  await actor.fill(admin.email);
  await expect(form.getByRole("listbox", { name: "Matching actors" }).getByRole("option")).toHaveText([`admin (admin) (${admin.email})member`]);
  await actor.press("ArrowDown");
  await actor.press("Enter");
  await expect(actor).toHaveValue(`admin (admin) (${admin.email})`);
  const summary = form.getByTestId("actions-summary");
  await expect(summary).toHaveText("All actions");
  await summary.click();
  const memberGroup = form.getByRole("checkbox", { name: "All Members actions" });
  await memberGroup.check();
  await expect(summary).toHaveText(`${AUDIT_ACTIONS.filter((a) => a.startsWith("member.")).length} selected`);
  await memberGroup.uncheck();
  await expect(summary).toHaveText("All actions");
  await form.getByRole("checkbox", { name: "Changed role member.role_changed", exact: true }).check();
  await form.getByRole("checkbox", { name: "Removed member member.removed", exact: true }).check();
  await expect(summary).toHaveText("2 selected");
  await summary.click();
  await form.locator('select[name="range"]').selectOption({ label: "Last hour" });
  await form.getByRole("button", { name: "Apply filters" }).click();

  await expect(page).toHaveURL(
    (url) =>
      url.pathname === auditPath(ws.slug) &&
      url.searchParams.get("actor") === `user:${admin.id}` &&
      url.searchParams.getAll("action").join(",") === "member.role_changed,member.removed" &&
      url.searchParams.get("range") === "1h" &&
      [...url.searchParams.keys()].every((key) => ["actor", "action", "range"].includes(key)),
  );
  const filtered = ["Changed role", "Removed member", "Changed role"];
  const expectFilteredView = async (view: Page) => {
    await expect(view.getByTestId("audit-action")).toHaveText(filtered);
    await expect(view.getByTestId("audit-actor")).toHaveText(filtered.map(() => "admin (admin)"));
  };
  await expectFilteredView(page);

  // The URL is the whole view: a reload, or the link opened by someone else, shows the same.
  const link = page.url();
  await page.reload();
  await expectFilteredView(page);
  await expect(form.getByRole("combobox", { name: "Actor" })).toHaveValue(`admin (admin) (${admin.email})`);
  await expect(form.locator('input[name="actor"]')).toHaveValue(`user:${admin.id}`);
  await expect(summary).toHaveText("2 selected");
  await expect(form.locator('select[name="range"]')).toHaveValue("1h");
  const colleague = await signedInClient(browser, admin, ws.password, ws.slug);
  await colleague.page.goto(link);
  await expectFilteredView(colleague.page);

  await form.getByRole("button", { name: "Clear" }).click();
  await expect(page).toHaveURL((url) => url.pathname === auditPath(ws.slug) && url.search === "");
  await expect(summary).toHaveText("All actions");
  await expect(actions.filter({ hasText: "Revoked session" })).toHaveCount(1);

  for (const client of [owner, colleague]) await client.context.close();
});

test("a row's time opens the event's details, with the other events of its request", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", admin: "admin", dev: "developer" }, "audit-details");
  const { admin, dev } = ws.users;
  const requestId = `req-${randomUUID()}`;
  const request = { ip: "203.0.113.9", userAgent: "Mozilla/5.0 (X11; Linux x86_64) audit-e2e/1.0", requestId };
  const invitationId = randomUUID();
  const [invited, changed] = await insertEvents(ws.workspaceId, [
    { ...request, actor: admin, action: "member.invited", target: ["invitation", invitationId], metadata: { role: "viewer" } },
    { ...request, actor: admin, action: "member.role_changed", target: ["user", dev.id], metadata: { from: "editor", to: "developer", note: "on call" } },
    { actor: admin, action: "session.revoked", target: ["session", randomUUID()], requestId: `req-${randomUUID()}` },
  ]);
  const owner = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  const { page } = owner;
  await page.goto(auditPath(ws.slug));

  const row = page.getByTestId("table-row").filter({ has: page.getByTestId("audit-action").getByText("Changed role", { exact: true }) });
  await row.getByRole("link", { name: `Details of event ${changed.seq}` }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("event") === changed.id);
  await expect(row).toHaveAttribute("aria-current", "true");

  const panel = page.getByTestId("event-details");
  await expect(detail(panel, "Action")).toHaveText("Changed role member.role_changed");
  await expect(detail(panel, "Actor")).toHaveText(`admin (admin) ${admin.email} user ${admin.id}`);
  await expect(detail(panel, "Target")).toHaveText(`dev (developer) ${dev.email} user ${dev.id}`);
  await expect(detail(panel, "IP address")).toHaveText(request.ip);
  await expect(detail(panel, "User agent")).toHaveText(request.userAgent);
  await expect(detail(panel, "Request id")).toHaveText(requestId);
  await expect(detail(panel, "Chain position")).toHaveText(`#${changed.seq}`);
  expect(JSON.parse((await panel.locator("pre").textContent())!)).toEqual({ from: "editor", to: "developer", note: "on call" });

  const sameRequest = panel.getByRole("listitem");
  await expect(sameRequest).toHaveText([`Invited member member.invited · #${invited.seq}`]);
  await sameRequest.getByRole("link").click();
  await expect(page).toHaveURL((url) => url.searchParams.get("event") === invited.id);
  await expect(detail(panel, "Action")).toHaveText("Invited member member.invited");
  // No such invitation and no email recorded: named generically, its id kept.
  await expect(detail(panel, "Target")).toHaveText(`An invitation invitation ${invitationId}`);
  expect(JSON.parse((await panel.locator("pre").textContent())!)).toEqual({ role: "viewer" });
  await expect(panel.getByRole("listitem")).toHaveText([`Changed role member.role_changed · #${changed.seq}`]);

  await panel.getByRole("link", { name: "Close" }).click();
  await expect(panel).toHaveCount(0);
  await owner.context.close();
});

test("Older and Newer move by keyset between pages of 50, and no event is on two pages", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", dev: "developer" }, "audit-pages");
  await insertEvents(
    ws.workspaceId,
    Array.from({ length: 60 }, (_, i) => ({
      actor: ws.users.dev,
      action: "session.revoked" as const,
      target: ["session", `s-${String(i).padStart(2, "0")}`] as [string, string],
    })),
  );
  const owner = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  const { page } = owner;
  // Nothing writes to this log while the pages are read: the total is fixed now. The
  // owner's sign-in is a personal event, in their account log, so this log holds the 60 seeded.
  const all = (await query<{ seq: string }>(`SELECT seq::text AS seq FROM audit_events WHERE workspace_id = $1 ORDER BY audit_events.seq DESC`, [ws.workspaceId])).map((r) => r.seq);
  expect(all).toHaveLength(60);

  await page.goto(auditPath(ws.slug));
  const rows = page.getByTestId("table-row");
  const pages = page.getByRole("navigation", { name: "Pages" });
  const newer = pages.getByRole("button", { name: "Newer" });
  const older = pages.getByRole("button", { name: "Older" });
  await expect(rows).toHaveCount(50);
  await expect(newer).toBeDisabled();
  const first = await shownSeqs(page);
  expect(first).toEqual(all.slice(0, 50));

  await older.click();
  await expect(page).toHaveURL((url) => url.searchParams.get("before") === first[49]);
  await expect(rows).toHaveCount(all.length - 50);
  await expect(older).toBeDisabled();
  const second = await shownSeqs(page);
  expect(second).toEqual(all.slice(50));
  expect(second.filter((seq) => first.includes(seq))).toEqual([]);

  await newer.click();
  await expect(page).toHaveURL((url) => url.searchParams.get("after") === second[0] && !url.searchParams.has("before"));
  await expect(rows).toHaveCount(50);
  expect(await shownSeqs(page)).toEqual(first);
  await expect(newer).toBeDisabled();
  await expect(older).toBeEnabled();
  await owner.context.close();
});

test("the exports download exactly the filtered events, and each export is itself audited", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", admin: "admin", dev: "developer" }, "audit-export");
  const { admin, dev } = ws.users;
  // Commas and quotes need quoting; a cell a spreadsheet would run as a formula is defused.
  await insertEvents(ws.workspaceId, [
    { actor: admin, action: "member.role_changed", target: ["user", dev.id], metadata: { note: 'said "yes", then left' } },
    { actor: admin, action: "member.role_changed", target: ["user", '=HYPERLINK("http://evil.test")'], metadata: { note: "line one\nline two" } },
    { actor: admin, action: "member.role_changed", target: ["user", dev.id], metadata: {} },
    { actor: admin, action: "member.removed", target: ["user", randomUUID()] },
    { actor: dev, action: "member.role_changed", target: ["user", admin.id] },
  ]);
  const expected = await query<{ seq: string; id: string; target_id: string; metadata: Record<string, unknown> }>(
    `SELECT seq::text AS seq, id::text AS id, target_id, metadata FROM audit_events
     WHERE workspace_id = $1 AND actor_id = $2 AND action = 'member.role_changed' ORDER BY audit_events.seq DESC`,
    [ws.workspaceId, admin.id],
  );
  expect(expected).toHaveLength(3);

  const owner = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  const { page } = owner;
  await page.goto(`${auditPath(ws.slug)}?actor=user:${admin.id}&action=member.role_changed`);
  await expect(page.getByTestId("table-row")).toHaveCount(3);

  const download = async (name: string) => {
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name }).click()]);
    return { filename: file.suggestedFilename(), text: readFileSync(await file.path(), "utf8") };
  };

  const csv = await download("Export CSV");
  expect(csv.filename).toMatch(new RegExp(`^audit-${ws.slug}-.+\\.csv$`));
  expect(csv.text.startsWith("seq,occurred_at,actor_type,")).toBe(true);
  const [header, ...records] = parseCsv(csv.text);
  const column = (name: string) => {
    const index = header.indexOf(name);
    expect(index, `CSV column ${name}`).toBeGreaterThanOrEqual(0);
    return records.map((record) => record[index]);
  };
  expect(records.every((record) => record.length === header.length)).toBe(true);
  expect(column("seq")).toEqual(expected.map((e) => e.seq));
  expect(column("action")).toEqual(expected.map(() => "member.role_changed"));
  expect(column("actor_id")).toEqual(expected.map(() => admin.id));
  expect(column("target_id")).toEqual(expected.map((e) => (e.target_id.startsWith("=") ? `'${e.target_id}` : e.target_id)));
  expect(column("metadata").map((m) => JSON.parse(m))).toEqual(expected.map((e) => e.metadata));

  const jsonl = await download("Export JSON Lines");
  expect(jsonl.filename).toMatch(new RegExp(`^audit-${ws.slug}-.+\\.jsonl$`));
  expect(jsonl.text.endsWith("\n")).toBe(true);
  const lines = jsonl.text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as { id: string; seq: string; action: string; actor: { id: string }; metadata: unknown });
  expect(lines.map((l) => l.id)).toEqual(expected.map((e) => e.id));
  expect(lines.map((l) => l.seq)).toEqual(expected.map((e) => e.seq));
  expect(lines.map((l) => l.action)).toEqual(expected.map(() => "member.role_changed"));
  expect(lines.map((l) => l.actor.id)).toEqual(expected.map(() => admin.id));
  expect(lines.map((l) => l.metadata)).toEqual(expected.map((e) => e.metadata));

  await page.goto(`${auditPath(ws.slug)}?action=audit.exported`);
  await expect(page.getByTestId("audit-action")).toHaveText(["Exported audit log", "Exported audit log"]);
  await expect(page.getByTestId("audit-actor")).toHaveText(["owner (owner)", "owner (owner)"]);
  const exports = await query<{ actor_id: string; metadata: { format: string; filters: { actor?: string; action?: string[] } } }>(
    `SELECT actor_id::text AS actor_id, metadata FROM audit_events WHERE workspace_id = $1 AND action = 'audit.exported' ORDER BY seq`,
    [ws.workspaceId],
  );
  expect(exports.map((e) => e.metadata.format)).toEqual(["csv", "jsonl"]);
  for (const e of exports) {
    expect(e.actor_id).toBe(ws.users.owner.id);
    expect(e.metadata.filters).toMatchObject({ actor: `user:${admin.id}`, action: ["member.role_changed"] });
  }
  await owner.context.close();
});

test("Verify integrity recomputes the chain and counts every event, its own check included next time", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", admin: "admin" }, "audit-verify");
  await insertEvents(
    ws.workspaceId,
    Array.from({ length: 5 }, () => ({ actor: ws.users.admin, action: "member.invited" as const, target: ["invitation", randomUUID()] as [string, string] })),
  );
  const owner = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  const { page } = owner;
  await page.goto(auditPath(ws.slug));
  const head = async () =>
    (await query<{ n: number; hash: string }>(`SELECT count(*) OVER ()::int AS n, hash FROM audit_events WHERE workspace_id = $1 ORDER BY seq DESC LIMIT 1`, [ws.workspaceId]))[0];

  const before = await head();
  const verify = page.getByRole("button", { name: "Verify integrity" });
  const result = page.getByTestId("verify-result");
  await verify.click();
  await expect(result).toHaveText(`${before.n} events verified. Latest hash ${before.hash.slice(0, 16)}…`);

  // The check is an audited event, so the next check finds one more.
  const after = await head();
  expect(after.n).toBe(before.n + 1);
  await verify.click();
  await expect(result).toHaveText(`${after.n} events verified. Latest hash ${after.hash.slice(0, 16)}…`);
  await owner.context.close();
});

test("a developer, without audit.read, sees no log, no filters and no exports, and cannot export by URL", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", dev: "developer" }, "audit-denied");
  await insertEvents(ws.workspaceId, [{ actor: ws.users.owner, action: "member.role_changed", target: ["user", ws.users.dev.id] }]);
  const dev = await signedInClient(browser, ws.users.dev, ws.password, ws.slug);
  const { page } = dev;
  await page.goto(auditPath(ws.slug));
  await expect(page.getByRole("heading", { name: "Owners and admins read the audit log" })).toBeVisible();
  await expect(page.getByTestId("table-row")).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Filter the audit log" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^Export/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Verify integrity" })).toHaveCount(0);

  const refused = await page.request.get(`${auditPath(ws.slug)}/export?format=csv`);
  expect(refused.status()).toBe(403);
  expect(await refused.text()).not.toContain("member.role_changed");
  const exported = await query(`SELECT 1 FROM audit_events WHERE workspace_id = $1 AND action = 'audit.exported'`, [ws.workspaceId]);
  expect(exported).toEqual([]);
  await dev.context.close();
});

test("times are on the workspace's clock by default, or the viewer's on request; a custom period is entered on that clock and carried in the URL in UTC", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", admin: "admin" }, "audit-period");
  const { admin } = ws.users;
  await query(`UPDATE workspaces SET time_zone = 'Asia/Kolkata' WHERE id = $1`, [ws.workspaceId]);
  await insertEvents(ws.workspaceId, [
    { actor: admin, action: "member.removed", metadata: { n: "before" }, at: "2026-03-10T13:00:00Z" },
    { actor: admin, action: "member.removed", metadata: { n: "inside" }, at: "2026-03-10T15:30:00Z" },
    { actor: admin, action: "member.removed", metadata: { n: "after" }, at: "2026-03-10T18:00:00Z" },
  ]);

  // New York is UTC−4 on 10 March 2026 (daylight saving time began on the 8th); Kolkata is UTC+5:30.
  const { page } = await signedInClient(browser, ws.users.owner, ws.password, ws.slug, { timezoneId: "America/New_York" });
  const errors: string[] = [];
  page.on("console", (message) => void (message.type() === "error" && errors.push(message.text())));
  page.on("pageerror", (error) => void errors.push(error.message));
  await page.goto(`${auditPath(ws.slug)}?actor=user:${admin.id}`);
  const zone = page.getByTestId("audit-display-zone");
  await expect(zone).toContainText("Asia/Kolkata, the workspace's time zone");
  // 15:30 UTC is 21:00 in Kolkata, whoever reads it and wherever.
  await expect(page.getByTestId("table-row").filter({ hasText: "21:00" })).toHaveCount(1);

  const form = page.getByRole("form", { name: "Filter the audit log" });
  await form.getByLabel("Time").selectOption("custom");
  await expect(form.getByText("(Asia/Kolkata)").first()).toBeVisible();
  await form.getByLabel(/^From/).fill("2026-03-10T20:30");
  await form.getByLabel(/^To/).fill("2026-03-10T21:30");
  await form.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/from=2026-03-10T15%3A00%3A00\.000Z/);
  await expect(page).toHaveURL(/to=2026-03-10T16%3A00%3A00\.000Z/);
  await expect(page.getByTestId("table-row")).toHaveCount(1);

  // The viewer's own clock, remembered in this browser.
  await zone.getByRole("button", { name: /Show them in mine/ }).click();
  await expect(zone).toContainText("America/New_York");
  await expect(page.getByTestId("table-row")).toContainText("11:30");
  await expect(form.getByText("(America/New_York)").first()).toBeVisible();
  await form.getByLabel(/^From/).fill("2026-03-10T10:00");
  await form.getByLabel(/^To/).fill("2026-03-10T12:00");
  await form.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/from=2026-03-10T14%3A00%3A00\.000Z/);
  await expect(page).toHaveURL(/to=2026-03-10T16%3A00%3A00\.000Z/);
  await expect(page.getByTestId("table-row")).toHaveCount(1);

  // The shared link opens with the same local times in the fields, and the page hydrates cleanly.
  await page.reload();
  await expect(form.getByLabel(/^From/)).toHaveValue("2026-03-10T10:00");
  await expect(form.getByLabel(/^To/)).toHaveValue("2026-03-10T12:00");
  await expect(page.getByTestId("table-row")).toHaveCount(1);
  await zone.getByRole("button", { name: /Show them in the workspace/ }).click();
  await expect(form.getByLabel(/^From/)).toHaveValue("2026-03-10T19:30");
  await expect(page.getByTestId("table-row")).toContainText("21:00");
  expect(errors).toEqual([]);
});
