import { expect, test, type APIRequestContext } from "@playwright/test";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { freshIp, seedWorkspace } from "./support/seed";
import { signedInClient } from "./support/sign-in";

// Every page and route of the running console, asked for with query strings and
// path segments an attacker would send: NUL bytes, year-0 and out-of-range dates,
// huge numbers, repeated parameters, ids that are not UUIDs. Whatever the answer
// (the page with its "what is wrong" message, a 4xx, a redirect to sign in), it is
// never a 5xx. Walked once signed in as an owner, and once signed out.

const TOKEN = "A".repeat(43);
const LINKS = ["not-a-uuid.x", "%E0%A4%A", `${"-".repeat(36)}.${TOKEN}`, `00000000-0000-4000-8000-00000000000g.${TOKEN}`, "%00", `00000000-0000-4000-8000-000000000000.${TOKEN}%00`];
const NEXTAUTH = ["session", "csrf", "providers", "signin", "signout", "error", "callback/credentials", "%00"];

const QUERIES = [
  "from=0000-01-01T00:00:00Z",
  "to=275760-09-13T00:00:00Z",
  "from=2026-02-30T00:00:00Z",
  "target_type=user&target_id=%00",
  "target_id=a&target_id=b",
  "actor=user:%00",
  "action=%00",
  "event=not-a-uuid",
  "before=99999999999999999999",
  "after=-1",
  "cursor=%00",
  "limit=1e400",
  "q=%00",
  "q=a%E2%80%AEb",
  "q=a&q=b",
  "page=99999999999999999999",
  "size=-1",
  "sort=%00&dir=%00",
  "next=a&next=b",
  "next=%00",
  "callbackUrl=%00",
  "error=%00",
  "token=%00",
  "format=csv&format=jsonl",
  "format=csv&from=0000-01-01T00:00:00Z",
  "%00=%00",
  `q=${"x".repeat(4000)}`,
];

function files(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files(path, out);
    else out.push(relative(process.cwd(), path));
  }
  return out;
}

/** Every page and route the app directory defines, with its dynamic segments filled in. */
function paths(slug: string): string[] {
  const found = files("app").filter((f) => /(^|\/)(page\.tsx|route\.ts)$/.test(f));
  const out = new Set<string>();
  for (const file of found) {
    const route = `/${file.replace(/^app\/?/, "").replace(/\/?(page\.tsx|route\.ts)$/, "")}`.replace(/\/$/, "") || "/";
    const filled = route.replace("[workspace]", slug);
    if (filled.includes("[...nextauth]")) for (const part of NEXTAUTH) out.add(filled.replace("[...nextauth]", part));
    else if (filled.includes("[link]")) for (const link of LINKS) out.add(filled.replace("[link]", link));
    else out.add(filled);
  }
  return [...out].sort();
}

/** GETs every path with every query, a few at a time, and lists the answers that are 5xx. */
async function walk(request: APIRequestContext, slug: string): Promise<string[]> {
  const urls = paths(slug).flatMap((path) => ["", ...QUERIES].map((query) => (query ? `${path}?${query}` : path)));
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++];
      const response = await request.get(url, { maxRedirects: 0, failOnStatusCode: false, timeout: 60_000 }).catch((error: Error) => error);
      if (response instanceof Error) failures.push(`${url.slice(0, 200)}: ${response.message.split("\n")[0]}`);
      else if (response.status() >= 500) failures.push(`${url.slice(0, 200)}: ${response.status()}`);
    }
  };
  await Promise.all(Array.from({ length: 3 }, worker));
  return failures;
}

test.describe.configure({ timeout: 15 * 60_000 });

test("no page or route answers a 5xx to bad input, signed in as an owner", async ({ browser }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "fuzz");
  const { context } = await signedInClient(browser, ws.users.owner, ws.password, ws.slug);
  const failures = await walk(context.request, ws.slug);
  expect(failures).toEqual([]);
  await context.close();
});

test("no page or route answers a 5xx to bad input, signed out", async ({ playwright, baseURL }) => {
  const ws = await seedWorkspace({ owner: "owner" }, "fuzz");
  const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "X-Forwarded-For": freshIp() } });
  const failures = await walk(request, ws.slug);
  expect(failures).toEqual([]);
  await request.dispose();
});
