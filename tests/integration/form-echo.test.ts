import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type pg from "pg";
import { ownerClient, seedWorkspace } from "../support/owner-db";

// A refused form comes back with what the person typed, except secrets and
// codes; the setup token, copied from the person's own terminal, is kept.

vi.mock("next/headers", async () => {
  const { nextHeaders } = await import("../support/request-stub");
  return {
    ...nextHeaders,
    headers: async () => new Headers({ "x-request-id": `req-${crypto.randomUUID()}`, "x-warden-ip": `2001:db8::${Math.floor(Math.random() * 0xffff).toString(16)}`, "user-agent": "vitest" }),
  };
});
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { createAction } = await import("../../lib/actions/create-action");
const { completeSetup } = await import("../../lib/actions/setup/complete-setup");
const { AppError } = await import("../../lib/errors");
const { idle } = await import("../../lib/actions/action-state");

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
  await seedWorkspace(owner, "echo");
});
afterAll(() => owner.end());

const formOf = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

const typed = {
  name: "Ada",
  email: "ada@example.test",
  password: "correct horse battery staple",
  newPassword: "another long passphrase",
  code: "123456",
  token: "printed-token",
  link: "https://warden.example/invite/abc#secret",
  apiSecret: "s3cr3t",
  workspaceName: "Acme",
};

describe("a refused form keeps what was typed", () => {
  const refuse = async () => {
    throw new AppError("conflict", "No.");
  };

  it("echoes ordinary fields and never passwords, codes, tokens, secrets or links", async () => {
    const action = createAction(z.object({}).loose(), refuse);
    const state = await action(idle, formOf(typed));
    expect(state.status === "error" && state.values).toEqual({ name: "Ada", email: "ada@example.test", workspaceName: "Acme" });
  });

  it("echoes a field the action names as no secret to its typist, and still no password or code", async () => {
    const action = createAction(z.object({}).loose(), refuse, { echo: ["token"] });
    const state = await action(idle, formOf(typed));
    expect(state.status === "error" && state.values).toEqual({ name: "Ada", email: "ada@example.test", workspaceName: "Acme", token: "printed-token" });
  });

  it("the setup form keeps the setup token after a refusal, and not the password", async () => {
    const state = await completeSetup(idle, formOf({ token: "not-the-token", name: "Ada", email: "ada@example.test", password: typed.password, workspaceName: "Acme", workspaceSlug: "acme" }));
    expect(state.status).toBe("error");
    if (state.status !== "error") return;
    expect(state.values?.token).toBe("not-the-token");
    expect(state.values?.email).toBe("ada@example.test");
    expect(JSON.stringify(state)).not.toContain(typed.password);
  });
});
