import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type pg from "pg";
import { NextRequest } from "next/server";
import { signInAs } from "../support/request-stub";
import { ownerClient, PASSWORD, seedMember, seedWorkspace } from "../support/owner-db";
import { generateSessionToken, hashToken } from "../../lib/auth/session-token";
import { generateApiKey } from "../../lib/api-keys/api-key-token";
import type { ActionState } from "../../lib/actions/action-state";

// Every server action and route, called the way an attacker would: with NUL bytes,
// year-0 dates, huge numbers, ids that are not UUIDs, repeated fields, and with
// arguments that are not forms at all. Whatever comes in, the answer is a refusal
// a person can read (an AppError: a code and a message), never the generic
// "something went wrong" that stands for a 500, and never a throw.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

type Action = (state: ActionState, form: unknown) => Promise<ActionState>;
const actions = new Map<string, Action>();

function files(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files(path, out);
    else out.push(relative(process.cwd(), path));
  }
  return out;
}

const TOKEN_CHARS = "A".repeat(43);
const BAD_VALUES: [string, string][] = [
  ["a NUL byte", "\u0000"],
  ["a NUL inside text", "fuzz\u0000fuzz"],
  ["a bell", "\u0007"],
  ["a right-to-left override", "ab\u202Ecd"],
  ["a line separator", "a\u2028b"],
  ["a newline", "a\nb"],
  ["a year-0 date", "0000-01-01"],
  ["a year-0 date-time", "0000-01-01T00:00:00Z"],
  ["a date past JavaScript's range", "275760-09-14"],
  ["a huge number", "99999999999999999999"],
  ["an overflowing float", "1e400"],
  ["a negative number", "-1"],
  ["not a number", "NaN"],
  ["a non-UUID id", "not-a-uuid"],
  ["36 dashes", "-".repeat(36)],
  ["an almost-UUID", "00000000-0000-0000-0000-00000000000g"],
  ["an invitation link without a UUID", `${"-".repeat(36)}.${TOKEN_CHARS}`],
  ["an invitation link with NUL", `00000000-0000-4000-8000-000000000000\u0000.${TOKEN_CHARS}`],
  ["a huge value", "x".repeat(20_000)],
  ["an empty value", ""],
  ["only spaces", "   "],
];

const NOT_FORMS: [string, unknown][] = [
  ["undefined", undefined],
  ["null", null],
  ["a string", "workspace=x"],
  ["a number", 42],
  ["a plain object", { workspace: "x", userId: randomUUID() }],
  ["an array", [["workspace", "x"]]],
  ["URLSearchParams", new URLSearchParams("workspace=x")],
];

// Fields a form may carry but an empty form does not ask for (optional ones).
const OPTIONAL_FIELDS = ["expiresOn", "expectedRole", "stepUpRequired", "name", "password"];

let owner: pg.Client;

type Fixture = { slug: string; ownerId: string; base: Record<string, string> };

async function fixture(): Promise<Fixture> {
  const ws = await seedWorkspace(owner, "fuzz");
  await seedMember(owner, ws.workspaceId, "owner"); // so leaving is not refused as the last owner
  const target = await seedMember(owner, ws.workspaceId, "viewer");
  const invitation = await owner.query<{ id: string }>(
    `INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ($1, $2, 'viewer', $3, now() + interval '1 day') RETURNING id`,
    [ws.workspaceId, `pending-${randomUUID().slice(0, 8)}@example.test`, hashToken(generateSessionToken())],
  );
  const apiKey = await owner.query<{ id: string }>(`INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes) VALUES ($1, 'fuzz', 'wdn_live_fuzz', $2, '{audit:read}') RETURNING id`, [
    ws.workspaceId,
    hashToken(generateSessionToken()),
  ]);
  const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  // A plausible value for every field any action reads; the fuzz replaces one at a time.
  const base = {
    workspace: ws.slug,
    userId: target.id,
    role: "editor",
    expectedRole: "viewer",
    email: `invitee-${randomUUID().slice(0, 8)}@example.test`,
    invitationId: invitation.rows[0].id,
    apiKeyId: apiKey.rows[0].id,
    name: "Fuzz",
    scopes: "audit:read",
    expiry: "custom",
    expiresOn: inAMonth,
    sessionId: randomUUID(),
    code: "123456",
    currentPassword: PASSWORD,
    newPassword: "a different long passphrase 42",
    link: `${ws.workspaceId}.${TOKEN_CHARS}`,
    password: "a long enough new password 7",
    token: "not-the-setup-token",
    workspaceName: "Fuzz",
    workspaceSlug: "fuzz-setup",
    mfaPolicy: "none",
    stepUpRequired: "on",
    stepUpWindowMinutes: "10",
  };
  return { slug: ws.slug, ownerId: ws.ownerId, base };
}

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) data.append(key, item);
  return data;
}

const isRedirect = (error: unknown) => typeof (error as { digest?: unknown })?.digest === "string" && (error as { digest: string }).digest.startsWith("NEXT_REDIRECT");

/** Calls the action and says what went wrong if the answer stands for a 5xx. */
async function callSafely(name: string, argument: unknown): Promise<ActionState> {
  let result: ActionState;
  try {
    result = await actions.get(name)!({ status: "idle" }, argument);
  } catch (error) {
    if (isRedirect(error)) return { status: "ok", data: null };
    throw new Error(`${name} threw: ${String(error)}`);
  }
  if (result.status === "error") expect(result.code, `${name} answered a generic failure (a 500): ${result.error}`).toBeDefined();
  else expect(result.status).toBe("ok");
  return result;
}

beforeAll(async () => {
  owner = await ownerClient();
  for (const file of files("lib/actions").filter((f) => f.endsWith(".ts") && readFileSync(f, "utf8").startsWith('"use server"'))) {
    const exported = (await import(`../../${file}`)) as Record<string, Action>;
    for (const [name, fn] of Object.entries(exported)) if (typeof fn === "function") actions.set(name, fn);
  }
});
afterAll(() => owner.end());

describe("every server action refuses bad input with a message, never a 500", () => {
  it("finds the actions", () => {
    expect(actions.size).toBeGreaterThan(15);
  });

  it.each([...new Set(files("lib/actions").filter((f) => f.endsWith(".ts") && readFileSync(f, "utf8").startsWith('"use server"')))])(
    "%s: every field, one at a time, with each bad value; every field repeated; arguments that are not forms",
    { timeout: 300_000 },
    async (file) => {
      const names = Object.keys(await import(`../../${file}`));
      for (const name of names) {
        let f = await fixture();
        await signInAs(owner, f.ownerId);
        for (const [label, argument] of NOT_FORMS) {
          const result = await callSafely(name, argument);
          expect(result, `${name} with ${label}`).toMatchObject({ status: "error", code: "invalid_input" });
        }
        // The fields this action must have: the ones an empty form is refused for. Optional ones are fuzzed too.
        const empty = await callSafely(name, form({}));
        const required = empty.status === "error" ? Object.keys(empty.fieldErrors ?? {}) : [];
        for (const field of [...new Set([...required, "workspace", ...OPTIONAL_FIELDS])]) {
          for (const [label, value] of BAD_VALUES) {
            await signInAs(owner, f.ownerId);
            const result = await callSafely(name, form({ ...f.base, [field]: value }));
            if (result.status === "ok") {
              // It changed something with a value it does not read; start again from a fresh workspace.
              f = await fixture();
            } else if (/[\u0000\u0007\u202E\u2028]/.test(value)) {
              expect(result, `${name}: ${field} with ${label}`).toMatchObject({ code: "invalid_input" });
            }
          }
        }
        for (const field of required.filter((r) => r !== "scopes")) {
          await signInAs(owner, f.ownerId);
          const repeated = await callSafely(name, form({ ...f.base, [field]: [f.base[field] ?? "a", f.base[field] ?? "b"] }));
          expect(repeated, `${name}: ${field} twice`).toMatchObject({ status: "error", code: "invalid_input", fieldErrors: { [field]: ["Give this field once"] } });
        }
      }
    },
  );
});

describe("a form field sent twice is refused, not read as one of its values", () => {
  it("inviting with role=viewer&role=owner names the field and invites no one", async () => {
    const f = await fixture();
    await signInAs(owner, f.ownerId);
    const result = await callSafely("inviteMember", form({ workspace: f.slug, email: f.base.email, role: ["viewer", "owner"] }));
    expect(result).toMatchObject({ status: "error", code: "invalid_input", fieldErrors: { role: ["Give this field once"] } });
    const { rows } = await owner.query(`SELECT 1 FROM invitations WHERE email = $1`, [f.base.email]);
    expect(rows).toHaveLength(0);
  });
});

describe("route handlers answer bad query strings with 4xx", () => {
  const BAD_QUERIES = [
    "target_type=user&target_id=%00",
    "target_type=user&target_id=a%00b",
    "from=0000-01-01T00:00:00Z",
    "to=275760-09-13T00:00:00Z",
    "from=2026-02-30T00:00:00Z",
    "range=%00",
    "actor=user:%00",
    "action=%00",
    "cursor=99999999999999999999",
    "cursor=-1",
    "limit=99999999999999999999",
    "limit=1e400",
    "q=%00",
    "format=csv&format=jsonl",
    "target_id=a&target_id=b&target_type=user",
    "%00=%00",
    "target_type=user&target_id=<20,000 characters>",
  ];
  const expand = (query: string) => query.replace("<20,000 characters>", "x".repeat(20_000));

  it.each(BAD_QUERIES)("GET /api/v1/audit?%s is a JSON 400", async (query) => {
    const f = await fixture();
    const { key, prefix, hash } = generateApiKey();
    await owner.query(`INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by_id) SELECT id, 'fuzz', $2, $3, '{audit:read}', $4 FROM workspaces WHERE slug = $1`, [
      f.slug,
      prefix,
      hash,
      f.ownerId,
    ]);
    const { GET } = await import("../../app/api/v1/audit/route");
    const response = await GET(new Request(`http://warden.test/api/v1/audit?${expand(query)}`, { headers: { authorization: `Bearer ${key}`, "x-warden-ip": "198.51.100.77" } }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_input" } });
  });

  it.each(BAD_QUERIES)("GET /w/<slug>/audit/export?format=csv&%s is a 400 and records no export", async (query) => {
    const f = await fixture();
    await signInAs(owner, f.ownerId);
    const { GET } = await import("../../app/w/[workspace]/audit/export/route");
    const response = await GET(new NextRequest(`http://warden.test/w/${f.slug}/audit/export?format=csv&${expand(query)}`), { params: Promise.resolve({ workspace: f.slug }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_input" } });
    const { rows } = await owner.query(`SELECT 1 FROM audit_events e JOIN workspaces w ON w.id = e.workspace_id WHERE w.slug = $1 AND e.action = 'audit.exported'`, [f.slug]);
    expect(rows).toHaveLength(0);
  });
});
