import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { seedWorkspace } from "./support/seed";
import { appendAuditEvents } from "./support/audit-events";
import { ownerDb } from "./support/state";
import { signedInClient } from "./support/sign-in";

// After retention removed the oldest events, Verify integrity starts from the
// checkpoint and says so.

const DAY = 24 * 60 * 60_000;

test("after retention, Verify integrity verifies from the checkpoint and says how many events retention removed", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner", admin: "admin" }, "audit-retention");
  const event = (daysAgo: number) => ({
    actor: { type: "user" as const, id: ws.users.admin.id, label: ws.users.admin.email },
    action: "member.invited" as const,
    target: { type: "invitation", id: randomUUID() },
    context: { ip: null, userAgent: null, requestId: null },
    occurredAt: daysAgo ? new Date(Date.now() - daysAgo * DAY) : undefined,
  });
  await appendAuditEvents(ws.workspaceId, [event(90), event(80), event(70), event(60), event(0)]);
  // The daily job's work for this workspace, done now: the window, then the database function.
  const db = await ownerDb();
  try {
    await db.query("BEGIN");
    await db.query("SELECT set_config('app.workspace_id', $1, true)", [ws.workspaceId]);
    await db.query("UPDATE workspaces SET audit_retention_days = 30 WHERE id = $1", [ws.workspaceId]);
    const { rows } = await db.query<{ removed: string }>("SELECT removed::text FROM public.audit_apply_retention($1::uuid)", [ws.workspaceId]);
    expect(rows[0].removed).toBe("4");
    await db.query("COMMIT");
  } finally {
    await db.end();
  }

  const owner = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  const { page } = owner;
  await page.goto(`/w/${ws.slug}/audit`);
  await page.getByRole("button", { name: "Verify integrity" }).click();
  const today = new Date().toISOString().slice(0, 10);
  await expect(page.getByTestId("verify-result")).toContainText(new RegExp(`^\\d+ events verified from seq 5 after 4 events removed by retention on ${today} \\(UTC\\)\\. Latest hash [0-9a-f]{16}…$`));
  await owner.context.close();
});
