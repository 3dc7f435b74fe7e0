import { signInSchema } from "./sign-in-schema";

// The credentials endpoint's body, read once: the rate limits and next-auth must
// see the same fields, or a limit counts one account while another is tried
// (`email=decoy&email=victim`: the limiter read the first, next-auth the last).
// So the body is parsed here, refused unless every field is known and given once,
// and next-auth is handed a body rebuilt from exactly what was parsed.

const COMMON = ["csrfToken", "callbackUrl", "json"] as const;
const STEPS = { password: ["email", "password"], mfa: ["challenge", "code"] } as const;
const MAX_BODY_BYTES = 8 * 1024;

export type SignInStep = { kind: "password"; email: string } | { kind: "mfa"; challenge: string };

export type ParsedSignInBody = { ok: true; step: SignInStep; body: URLSearchParams } | { ok: false; message: string };

const refuse = (message: string): ParsedSignInBody => ({ ok: false, message });

export async function parseSignInBody(request: Request): Promise<ParsedSignInBody> {
  // The browser's form sends urlencoded; a JSON body is refused rather than read a second way.
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return refuse("Send the sign-in form as application/x-www-form-urlencoded.");
  const text = await request.text().catch(() => null);
  if (text === null || Buffer.byteLength(text) > MAX_BODY_BYTES) return refuse("The sign-in form could not be read.");

  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (fields.has(name)) return refuse(`The field ${JSON.stringify(name.slice(0, 40))} was given more than once.`);
    fields.set(name, value);
  }
  const kind = fields.has("challenge") || fields.has("code") ? "mfa" : "password";
  const allowed = new Set<string>([...COMMON, ...STEPS[kind]]);
  const unexpected = [...fields.keys()].find((name) => !allowed.has(name));
  if (unexpected !== undefined) return refuse(`The field ${JSON.stringify(unexpected.slice(0, 40))} is not part of this sign-in step.`);
  const missing = STEPS[kind].find((name) => !fields.has(name));
  if (missing) return refuse(`The field "${missing}" is missing.`);

  const body = new URLSearchParams([...fields]);
  if (kind === "mfa") return { ok: true, step: { kind, challenge: fields.get("challenge")! }, body };
  // The same transform authorize() applies before the email is verified, so the limit counts that exact account.
  const email = signInSchema.shape.email.safeParse(fields.get("email"));
  return { ok: true, step: { kind, email: email.success ? email.data : "" }, body };
}
