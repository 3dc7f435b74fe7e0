import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import type pg from "pg";
import { ownerClient, seedMember, seedWorkspace } from "../support/owner-db";
import { signInAs } from "../support/request-stub";
import UsagePage from "../../app/w/[workspace]/usage/page";

// The Usage page's agents and model prices: every role with usage.read sees them,
// an agent whose day reached its cap reads "Halted for today", and the controls
// appear only for the roles the server would let act.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
});
afterAll(() => owner.end());

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, " ");

async function seeded() {
  const ws = await seedWorkspace(owner, "usage");
  const rows = await owner.query<{ id: string; name: string }>(
    `INSERT INTO agents (workspace_id, name, daily_cap_micros, time_zone) VALUES ($1, 'capped-bot', 2000000, 'UTC'), ($1, 'quiet-bot', 5000000, 'Asia/Tokyo') RETURNING id, name`,
    [ws.workspaceId],
  );
  const capped = rows.rows.find((r) => r.name === "capped-bot")!.id;
  await owner.query(`INSERT INTO agent_days (workspace_id, agent_id, day, spent_micros, held_micros) VALUES ($1, $2, (now() AT TIME ZONE 'UTC')::date, 1500000, 500000)`, [ws.workspaceId, capped]);
  return ws;
}

const render = async (slug: string) => renderToStaticMarkup(await UsagePage({ params: Promise.resolve({ workspace: slug }) }));

describe("the Usage page's agents and prices", () => {
  it("a viewer sees agents, today's spend against the cap, halted agents and prices, without controls", async () => {
    const ws = await seeded();
    const viewer = await seedMember(owner, ws.workspaceId, "viewer");
    await signInAs(owner, viewer.id);
    const html = await render(ws.slug);
    const page = text(html);
    expect(page).toContain("capped-bot");
    expect(page).toContain("Halted for today");
    expect(page).toContain("$1.50 spent + $0.50 held of $2.00");
    expect(page).toContain("Asia/Tokyo");
    expect(page).toContain("gpt-4o");
    for (const control of ["New agent", "Rename", "Budget", "Pause", "Archive", "Add a model", ">Edit<"]) expect(html).not.toContain(control);
  });

  it("a developer may create and rename but not change budgets; an owner has every control", async () => {
    const ws = await seeded();
    const developer = await seedMember(owner, ws.workspaceId, "developer");
    await signInAs(owner, developer.id);
    const dev = await render(ws.slug);
    expect(dev).toContain("New agent");
    expect(dev).toContain("Rename");
    for (const control of ["Budget", "Pause", "Archive", "Add a model"]) expect(dev).not.toContain(control);
    await signInAs(owner, ws.ownerId);
    const own = await render(ws.slug);
    for (const control of ["New agent", "Rename", "Budget", "Pause", "Archive", "Add a model"]) expect(own).toContain(control);
  });
});
