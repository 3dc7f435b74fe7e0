import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { randomUUID } from "node:crypto";
import { ownerClient, seedWorkspace } from "../support/owner-db";

// The request's address is chosen per test, so each test has its own per-address bucket.
const request = vi.hoisted(() => ({ ip: "203.0.113.1" }));
vi.mock("next/headers", async () => {
  const { nextHeaders } = await import("../support/request-stub");
  return { ...nextHeaders, headers: async () => new Headers({ "x-request-id": `req-${crypto.randomUUID()}`, "x-warden-ip": request.ip, "user-agent": "vitest" }) };
});
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
// Every Argon2 hash the forms ask for.
const hashes = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../lib/auth/password", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../lib/auth/password")>();
  return {
    ...original,
    hashPassword: (password: string) => {
      hashes.count++;
      return original.hashPassword(password);
    },
  };
});

const { completeSetup } = await import("../../lib/actions/setup/complete-setup");
const { acceptInvitation } = await import("../../lib/actions/members/accept-invitation");
const { idle } = await import("../../lib/actions/action-state");

let owner: pg.Client;
beforeAll(async () => {
  owner = await ownerClient();
  await seedWorkspace(owner, "forms"); // the instance has a user: setup is over
});
afterAll(() => owner.end());

const ipv6Client = () => `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`;
const formOf = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};
const setupForm = () =>
  formOf({
    token: "a-token-someone-guessed",
    name: "Mallory",
    email: `mallory-${randomUUID().slice(0, 8)}@example.test`,
    password: `Vq7-${randomUUID()}-orbit`,
    workspaceName: "Taken",
    workspaceSlug: `taken-${randomUUID().slice(0, 8)}`,
  });

describe("completeSetup after setup", () => {
  it("refuses at once, without hashing the password", async () => {
    request.ip = `${ipv6Client()}::1`;
    hashes.count = 0;
    const result = await completeSetup(idle, setupForm());
    expect(result).toMatchObject({ status: "error", code: "not_found", error: expect.stringMatching(/already set up/) });
    expect(hashes.count).toBe(0);
  });

  it("is limited per address (an IPv6 client on its /64): the sixth try is refused as too many", async () => {
    const client = ipv6Client();
    const codes: (string | undefined)[] = [];
    for (let i = 1; i <= 6; i++) {
      request.ip = `${client}::${i}`;
      const result = await completeSetup(idle, setupForm());
      codes.push(result.status === "error" ? result.code : result.status);
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill("not_found"));
    expect(codes[5]).toBe("rate_limited");
  });
});

describe("accepting an invitation without an account", () => {
  const deadLink = () => `${randomUUID()}.${"A".repeat(43)}`;

  it("refuses a link that names no open invitation before hashing the password", async () => {
    request.ip = `${ipv6Client()}::1`;
    hashes.count = 0;
    const result = await acceptInvitation(idle, formOf({ link: deadLink(), name: "Mallory", password: `Vq7-${randomUUID()}-orbit` }));
    expect(result).toMatchObject({ status: "error", code: "not_found" });
    expect(hashes.count).toBe(0);
  });

  it("is limited per address: the eleventh try is refused as too many", async () => {
    const client = ipv6Client();
    const codes: (string | undefined)[] = [];
    for (let i = 1; i <= 11; i++) {
      request.ip = `${client}::${i}`;
      const result = await acceptInvitation(idle, formOf({ link: deadLink(), name: "Mallory", password: `Vq7-${randomUUID()}-orbit` }));
      codes.push(result.status === "error" ? result.code : result.status);
    }
    expect(codes.slice(0, 10)).toEqual(Array(10).fill("not_found"));
    expect(codes[10]).toBe("rate_limited");
  });
});
