import { z } from "zod";
import { ENVIRONMENT_NAME } from "./schemas";
import { safeText } from "../validation/safe-input";

export const SECRET_SORTS = ["name", "environment", "updated", "lastResolved"] as const;
export const SECRET_STATUSES = ["rotation_due", "expired"] as const;
export type SecretStatusFilter = (typeof SECRET_STATUSES)[number];

// The Secrets table's view, all in the URL. A link whose parameter makes no
// sense (an old bookmark, a hand-edited page number) shows the default for that
// parameter instead of an error page: nothing here can fail the page.
export const secretListQuerySchema = z.object({
  view: z.enum(["live", "deleted"]).default("live").catch("live"),
  q: safeText({ max: 100 }).optional().catch(undefined),
  /** An environment's name (readable, shareable); an unknown name is ignored. */
  env: z.string().regex(ENVIRONMENT_NAME).optional().catch(undefined),
  status: z.enum(SECRET_STATUSES).optional().catch(undefined),
  sort: z.enum(SECRET_SORTS).default("name").catch("name"),
  dir: z.enum(["asc", "desc"]).default("asc").catch("asc"),
  // No upper bound here: a page past the end is clamped to the last one by listSecrets.
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).catch(1),
  size: z.coerce.number().int().min(10).max(100).default(25).catch(25),
});
export type SecretListQuery = z.output<typeof secretListQuerySchema>;

/** Query parameters as Next hands them: a repeated one counts as its first value. */
export function parseSecretListQuery(raw: Record<string, string | string[] | undefined>): SecretListQuery {
  const first = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  return secretListQuerySchema.parse(first);
}
