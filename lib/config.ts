import { z } from "zod";

// Every setting Warden reads, validated once. Nothing else reads process.env
// (scripts/ may pass values to the server through the environment).

const secret = (name: string) =>
  z
    .string()
    .optional()
    .refine((v) => v === undefined || Buffer.byteLength(v) >= 32, `${name} must be at least 32 bytes`);

const masterKey = z
  .string()
  .optional()
  .refine((v) => v === undefined || Buffer.from(v, "base64").length === 32, "WARDEN_MASTER_KEY must be 32 bytes, base64-encoded");

// Each entry must be a key like WARDEN_MASTER_KEY; a typo would otherwise surface
// only when a value sealed under that key fails to open.
const previousMasterKeys = z
  .string()
  .optional()
  .superRefine((v, ctx) => {
    const keys = (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    keys.forEach((key, i) => {
      if (Buffer.from(key, "base64").length !== 32) {
        ctx.addIssue({ code: "custom", message: `entry ${i + 1} of ${keys.length} is not 32 bytes, base64-encoded` });
      }
    });
  });

// Browser origins allowed to call /api/v1 (CORS): exact origins only, as a browser
// sends them in Origin (scheme://host[:port], lower case, no default port, no path
// or trailing slash), since an entry a browser can never send would silently never
// match. "*" (any origin) is for development: parseConfig refuses it in production.
const allowedOrigins = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const entries = (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    for (const entry of entries) {
      if (entry === "*") continue;
      let origin: string | null = null;
      try {
        const url = new URL(entry);
        // A URL may hold "*" in its host, but no browser sends such an origin: patterns are not matched.
        if ((url.protocol === "http:" || url.protocol === "https:") && !url.host.includes("*")) origin = url.origin;
      } catch {
        // Not a URL at all: reported below like any other inexact entry.
      }
      if (origin !== entry) {
        const hint = origin ? ` (did you mean ${origin}?)` : "";
        ctx.addIssue({ code: "custom", message: `"${entry}" is not an exact origin: write scheme://host[:port], without path or trailing slash${hint}` });
        return z.NEVER;
      }
    }
    return [...new Set(entries)];
  });

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  WARDEN_URL: z.string().url().default("http://localhost:3000"),
  DATABASE_URL: z.string().url().optional(),
  APP_DATABASE_URL: z.string().url().optional(),
  // With DATABASE_URL and no APP_DATABASE_URL: the password start-up gives warden_app_<db>.
  APP_DATABASE_PASSWORD: z.string().min(24, "APP_DATABASE_PASSWORD must be at least 24 characters").optional(),
  WARDEN_DATA_DIR: z.string().default(".data"),
  // Where the embedded path keeps the secrets it generates (default ~/.config/warden).
  WARDEN_SECRETS_DIR: z.string().optional(),
  AUTH_SECRET: secret("AUTH_SECRET"),
  WARDEN_MASTER_KEY: masterKey,
  // Earlier master keys, comma-separated, still accepted for decryption after a rotation.
  WARDEN_PREVIOUS_MASTER_KEYS: previousMasterKeys,
  // Connections each instance's pool opens to PostgreSQL (or PgBouncer): instances × this
  // must stay under the server's max_connections (or PgBouncer's max_client_conn).
  // On SIGTERM, keep accepting this long while /api/health/ready answers 503, so the load
  // balancer stops sending here before the listener closes (a connection waiting in the
  // listener's queue when it closes is reset). Set it to the balancer's detection time.
  WARDEN_DRAIN_DELAY_SECONDS: z.coerce.number().min(0).max(60).default(0),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.string().url().optional(),
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .default(12 * 60),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .default(7 * 24),
  LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  LOCKOUT_IP_THRESHOLD: z.coerce.number().int().min(1).max(10_000).default(20),
  LOCKOUT_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
  LOCKOUT_DURATION_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
  SESSION_ROTATE_MINUTES: z.coerce.number().int().min(1).max(15).default(15),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  WARDEN_CSP_REPORT_ONLY: bool,
  // smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465. Unset: email is off.
  SMTP_URL: z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || /^smtps?:\/\/[^/]+/.test(v), "SMTP_URL must be smtp://… or smtps://…"),
  MAIL_FROM: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  // The bearer token Prometheus presents to GET /metrics. Unset: /metrics answers 404.
  METRICS_TOKEN: z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || Buffer.byteLength(v) >= 32, "METRICS_TOKEN must be at least 32 bytes"),
  // Label the usage and spend counters of /metrics with the workspace's id. Off by
  // default: every workspace adds a series to each counter.
  WARDEN_METRICS_WORKSPACE_LABELS: bool,
  // Who may create workspaces from the workspace switcher: any signed-in person, or
  // only the instance's operators (users.is_operator; the first-run account is one).
  WARDEN_WORKSPACE_CREATION: z.enum(["anyone", "operators"]).default("anyone"),
  // Comma-separated browser origins allowed to call /api/v1. Empty: none.
  WARDEN_ALLOWED_ORIGINS: allowedOrigins,
});

export type Config = z.infer<typeof schema> & { secureCookies: boolean };

// Secrets the server refuses to run without in production.
const REQUIRED_IN_PRODUCTION = ["AUTH_SECRET", "WARDEN_MASTER_KEY", "APP_DATABASE_URL"] as const;

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const first = result.error.issues[0];
    const name = String(first.path[0] ?? "configuration");
    throw new ConfigError(`Invalid configuration: ${name}: ${first.message}`);
  }
  const config = result.data;
  // `next build` loads modules to collect page data but never serves; secrets are
  // checked when the server starts.
  const building = env.NEXT_PHASE === "phase-production-build";
  if (config.NODE_ENV === "production" && !building) {
    for (const name of REQUIRED_IN_PRODUCTION) {
      if (!config[name]) throw new ConfigError(`Invalid configuration: ${name} is required in production`);
    }
  }
  // An allowlist that admits every page is none: in production, name the origins.
  if (config.NODE_ENV === "production" && !building && config.WARDEN_ALLOWED_ORIGINS.includes("*")) {
    throw new ConfigError('Invalid configuration: WARDEN_ALLOWED_ORIGINS: "*" is refused in production; list the exact origins (scheme://host[:port]) allowed to call /api/v1');
  }
  // A message without a sender of the operator's choosing is refused by most relays.
  if (config.SMTP_URL && !config.MAIL_FROM) throw new ConfigError("Invalid configuration: MAIL_FROM is required with SMTP_URL");
  return { ...config, secureCookies: config.WARDEN_URL.startsWith("https://") };
}

let cached: Config | undefined;

export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
