import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { generate } from "otplib";

// One simulated device over plain HTTP (fetch): its own cookie jar and client
// address, sent as X-Forwarded-For as a CDN in front of the load balancer would.

export const SESSION_COOKIE = "warden.session";

/** A client address of its own (IPv6 documentation prefix), so no two devices share a counter. */
export function freshIp(): string {
  const groups = Array.from({ length: 4 }, () => randomBytes(2).toString("hex"));
  return `2001:db8:${groups.join(":")}::1`;
}

export class Device {
  readonly cookies = new Map<string, string>();
  constructor(readonly ip = freshIp()) {}

  async request(base: string, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("x-forwarded-for", this.ip);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(`${base}${path}`, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get signedIn(): boolean {
    return this.cookies.has(SESSION_COOKIE);
  }
}

export type SignInOutcome = { status: number; signedIn: boolean; error: string | null; challenge: string | null };

/** A credentials sign-in as the form sends it: next-auth's CSRF token, then the form POST asking for JSON. */
export async function signIn(device: Device, base: string, fields: Record<string, string>): Promise<SignInOutcome> {
  const csrf = await device.request(base, "/api/auth/csrf");
  if (!csrf.ok) throw new Error(`GET /api/auth/csrf answered ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await device.request(base, "/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1" },
    body: new URLSearchParams({ ...fields, csrfToken, callbackUrl: "/", json: "true" }).toString(),
  });
  const text = await response.text();
  let url = "";
  try {
    url = (JSON.parse(text) as { url?: string }).url ?? "";
  } catch {
    /* a refusal before next-auth (429) */
  }
  const error = url ? new URL(url, base).searchParams.get("error") : response.status === 429 ? "rate_limited" : null;
  const challenge = error?.startsWith("MFA_REQUIRED:") ? error.slice("MFA_REQUIRED:".length) : null;
  return { status: response.status, signedIn: device.signedIn && !error, error, challenge };
}

export const totpCode = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

// Server actions are called as the browser calls them: POST to a page with the
// action's id (read from the production build's client chunks) and the arguments
// encoded by React's own encodeReply.
let actionIds: Map<string, string> | undefined;

function collectActionIds(dir: string, into: Map<string, string>) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) collectActionIds(path, into);
    else if (entry.endsWith(".js")) {
      for (const m of readFileSync(path, "utf8").matchAll(/createServerReference\)\("([0-9a-f]{42})",[^)]*?"(\w+)"\)/g)) into.set(m[2], m[1]);
    }
  }
}

export function actionId(name: string): string {
  if (!actionIds) {
    actionIds = new Map();
    collectActionIds(join(".next", "static", "chunks"), actionIds);
  }
  const id = actionIds.get(name);
  if (!id) throw new Error(`no server action named ${name} in the build`);
  return id;
}

type ReplyEncoder = { encodeReply: (value: unknown) => Promise<FormData | string> };

/** Calls a form action (previous state, FormData) on `page`; returns the HTTP status and the action's answer as text. */
export async function callAction(device: Device, base: string, page: string, name: string, fields: Record<string, string>) {
  const { encodeReply } = (await import("next/dist/compiled/react-server-dom-webpack/client.node.js" as string)) as ReplyEncoder;
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const body = await encodeReply([{ status: "idle" }, form]);
  const response = await device.request(base, page, {
    method: "POST",
    headers: { "next-action": actionId(name), origin: base, accept: "text/x-component" },
    body,
  });
  return { status: response.status, location: response.headers.get("location") ?? response.headers.get("x-action-redirect"), text: await response.text() };
}
