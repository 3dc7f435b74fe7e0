import "server-only";
import { z } from "zod";
import { admitApiKey, presentedApiKeyHash, type ApiKeyPrincipal } from "../api-keys/authenticate-api-key";
import { roleGrantsScope } from "../api-keys/scopes";
import type { AuditActor } from "../audit/record-audit-event";
import { withApiKeyRequest, type Tx } from "../db/with-workspace";
import type { Role } from "../generated/prisma/enums";
import { AppError, isAppError } from "../errors";
import { CLIENT_IP_HEADER, REQUEST_ID_HEADER } from "../http/header-names";
import { parseJsonBody } from "../http/parse-json-body";
import { parseQuery } from "../http/parse-query";
import type { RequestContext } from "../http/request-context";
import { log } from "../log";
import { metrics } from "../metrics/registry";
import { setLogRedactionKinds, withLogRedaction } from "../redaction/log-redaction";
import { toPiiKinds, type PiiKind } from "../redaction/redact-pii";
import { consumeLimits, failureLimitReached, rateLimitHeaders, recordLimitedFailure } from "../rate-limit/consume";
import { apiErrorBody } from "./api-error";
import type { ApiV1Route } from "./v1-routes";

type Scoped<M extends ApiV1Route["method"]> = Extract<ApiV1Route, { method: M }> & { scope: NonNullable<ApiV1Route["scope"]> };
type ScopedRoute = (Scoped<"get"> & { query: z.ZodObject }) | Scoped<"post">;
type RouteInput<R extends ScopedRoute> = R extends { method: "post"; body: infer B extends z.ZodObject } ? z.output<B> : z.output<NonNullable<R["query"]>>;

// A POST takes no query parameters: any given is refused, as an unknown one is on a GET.
const NO_QUERY = z.strictObject({});

export type ApiRouteArgs<I> = {
  input: I;
  tx: Tx;
  key: ApiKeyPrincipal;
  actor: AuditActor & { type: "api_key" };
  context: RequestContext;
  /** The route's path parameters, checked against its params schema (empty when it has none). */
  params: Record<string, string>;
  /** The Idempotency-Key header, when the route requires one (else null). */
  idempotencyKey: string | null;
  /** The PII kinds redacted from what this request stores or logs: the key's own list when it overrides, else the workspace's. */
  redaction: PiiKind[];
};

/** What Next passes a route handler beside the request: the dynamic segments of its path. */
type RouteSegments = { params: Promise<Record<string, string | string[]>> };
/** A route with path parameters takes Next's second argument, typed by its segments; one without takes the request alone. */
type RouteHandler<R extends ScopedRoute> = R extends { params: z.ZodObject }
  ? (request: Request, segments: { params: Promise<Record<keyof z.input<R["params"]>, string>> }) => Promise<Response>
  : (request: Request) => Promise<Response>;

// Printable ASCII, 1 to 255 characters: a UUID or any client's own request id fits.
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** An /api/v1 request is answered within this long: after it, a 503 in JSON, never a hung connection. */
export const API_REQUEST_TIMEOUT_MS = 30_000;
// The transaction ends (commits or rolls back) this long before the answer is due,
// so a request answered 503 for its time has changed nothing.
const TRANSACTION_MARGIN_MS = 1_000;

// Last use is written at most once a minute per key: an exact timestamp is not
// worth a write on every request.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The twin of workspaceAction for /api/v1: the bearer key (401s that say what is
 * wrong), the per-key rate limit (RateLimit-* headers on every answer), the
 * route's scope and the key creator's current rights (403), the query of a GET or
 * the JSON body of a POST (4xx naming the parameter or field), then the handler
 * in the key's workspace, all in the one transaction that looked the key up.
 */
export function apiRoute<R extends ScopedRoute, T>(route: R, handler: (args: ApiRouteArgs<RouteInput<R>>) => Promise<T>, options: { timeoutMs?: number } = {}): RouteHandler<R> {
  const timeoutMs = options.timeoutMs ?? API_REQUEST_TIMEOUT_MS;
  const handle = async (request: Request, segments: RouteSegments | undefined, deadline: number): Promise<Response> => {
    const context: RequestContext = {
      ip: request.headers.get(CLIENT_IP_HEADER),
      userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null,
      requestId: request.headers.get(REQUEST_ID_HEADER),
    };
    let headers: Record<string, string> = { "Cache-Control": "no-store" };
    try {
      const ipKey = context.ip ?? "unknown";
      const failures = await failureLimitReached("apiAuthFailuresPerIp", ipKey);
      if (!failures.allowed) {
        headers = { ...headers, ...rateLimitHeaders(failures) };
        throw new AppError("rate_limited", "Too many failed authentications from this address. Try again later.", undefined, "auth_failures");
      }
      const refused = async (error: unknown): Promise<never> => {
        if (isAppError(error) && error.code === "unauthenticated") await recordLimitedFailure("apiAuthFailuresPerIp", ipKey);
        throw error;
      };
      const keyHash = await Promise.resolve(request.headers.get("authorization")).then(presentedApiKeyHash).catch(refused);
      // The body is read before the transaction opens, so a slow upload never
      // holds a pooled connection; its verdict (a 4xx) is still given in its turn,
      // after the key's checks.
      const read = await readRequest(route, request, segments).then(
        (parts) => ({ ...parts, input: parts.input as RouteInput<R> }),
        (error: unknown) => ({ error }),
      );
      // One transaction for the whole request: the key's lookup, its checks (in the
      // order they always ran, the rate limit before any work), then the work.
      const body = await withApiKeyRequest(
        keyHash,
        async (row) => {
          const key = await Promise.resolve(row)
            .then((found) => admitApiKey(found))
            .catch(refused);
          const verdict = await consumeLimits([{ name: "apiKeyRequests", key: key.id }]);
          headers = { ...headers, ...rateLimitHeaders(verdict) };
          if (!verdict.allowed) throw new AppError("rate_limited", "This API key has made too many requests. Retry after the time in Retry-After.");
          if (!key.scopes.includes(route.scope)) {
            throw new AppError("forbidden", `This API key lacks the ${route.scope} scope.`, undefined, "insufficient_scope");
          }
          if ("error" in read) throw read.error;
          return { key, ...read };
        },
        async (tx, { key, input, params, idempotencyKey }) => {
          const actor = { type: "api_key" as const, id: key.id, label: `${key.name} (${key.prefix}…)` };
          const workspaceRedaction = await assertCreatorStillEntitled(tx, key, route.scope);
          const redaction = key.redactionOverride ?? workspaceRedaction;
          setLogRedactionKinds(redaction);
          return handler({ input, tx, key, actor, context, params, idempotencyKey, redaction });
        },
        Math.max(deadline - performance.now() - TRANSACTION_MARGIN_MS, 100),
      );
      return Response.json(body, { status: route.status ?? 200, headers });
    } catch (error) {
      if (isAppError(error)) return Response.json(apiErrorBody(error, context.requestId), { status: error.status, headers });
      // Without the database nothing can be checked, so nothing is allowed: a 503
      // the client retries, never a 500 that might read as a fault to ignore.
      if (isDatabaseUnavailable(error)) {
        log.error({ err: error, requestId: context.requestId }, "api request failed: database unavailable");
        const message = `The service is temporarily unavailable; retry shortly. Reference: ${context.requestId ?? "n/a"}`;
        return Response.json({ error: { code: "unavailable", message, request_id: context.requestId } }, { status: 503, headers: { ...headers, "Retry-After": "5" } });
      }
      log.error({ err: error, requestId: context.requestId }, "api request failed");
      const message = `Something went wrong. Reference: ${context.requestId ?? "n/a"}`;
      return Response.json({ error: { code: "internal", message, request_id: context.requestId } }, { status: 500, headers });
    }
  };
  const timed = async (request: Request, segments?: RouteSegments): Promise<Response> => {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Response>((resolve) => {
      timer = setTimeout(() => resolve(timedOut(request, timeoutMs)), timeoutMs);
    });
    // Lines logged while the request runs are redacted under its policy, once read.
    const response = await Promise.race([withLogRedaction(() => handle(request, segments, started + timeoutMs)), late]).finally(() => clearTimeout(timer));
    const labels = { route: route.operationId, method: route.method.toUpperCase(), status: String(response.status) };
    metrics().httpDuration.observe(labels, (performance.now() - started) / 1000);
    return response;
  };
  return timed as RouteHandler<R>;
}

/** The answer to a request that ran out of time: its transaction has already ended, rolled back. */
function timedOut(request: Request, timeoutMs: number): Response {
  const requestId = request.headers.get(REQUEST_ID_HEADER);
  log.warn({ requestId, path: new URL(request.url).pathname, timeoutMs }, "api request timed out");
  const message = `The request took longer than ${timeoutMs / 1000} seconds and was abandoned; nothing it would have changed was kept. Retry shortly. Reference: ${requestId ?? "n/a"}`;
  return Response.json({ error: { code: "unavailable", reason: "timeout", message, request_id: requestId } }, { status: 503, headers: { "Cache-Control": "no-store", "Retry-After": "5" } });
}

async function readInput(route: ScopedRoute, request: Request) {
  const params = new URL(request.url).searchParams;
  if (route.method === "get") return parseQuery(route.query, params);
  parseQuery(NO_QUERY, params);
  return parseJsonBody(route.body, request, route.bodyMaxBytes, { emptyAsObject: route.bodyOptional === true });
}

/**
 * The path parameters (a value the schema refuses, such as an id that is not a
 * UUID, is a 404 like an unknown one: never a 500 from PostgreSQL), the
 * Idempotency-Key header when the route requires one, then the query or body.
 */
async function readRequest(route: ScopedRoute, request: Request, segments: RouteSegments | undefined) {
  let params: Record<string, string> = {};
  if (route.params) {
    const parsed = route.params.safeParse((await segments?.params) ?? {});
    if (!parsed.success) throw new AppError("not_found", "Not found.");
    params = parsed.data as Record<string, string>;
  }
  let idempotencyKey: string | null = null;
  if (route.idempotencyKey) {
    idempotencyKey = request.headers.get("idempotency-key");
    if (idempotencyKey === null || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new AppError(
        "invalid_input",
        "Send an Idempotency-Key header: 1 to 255 printable ASCII characters, one per request you mean to make once.",
        { "Idempotency-Key": ["Required: 1 to 255 printable ASCII characters"] },
        "idempotency_key_required",
      );
    }
  }
  return { params, idempotencyKey, input: await readInput(route, request) };
}

// Connection refused or lost, no connection free in time, the server shutting
// down: the database cannot answer, which is neither the client's fault nor a bug.
// P2028: the transaction ran out of its time (the request's deadline) and was rolled back.
const UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1017", "P2024", "P2028", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "57P01", "57P02", "57P03", "53300"]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || code.startsWith("08"))) return true;
    if (name === "PrismaClientInitializationError") return true;
    if (typeof message === "string" && /ECONNREFUSED|Connection terminated|Can't reach database server|Timeout exceeded when trying to connect/i.test(message)) return true;
  }
  return false;
}

/**
 * A key carries its creator's rights, never more: if they lose the role (or
 * leave), the key stops working. One statement reads the creator's role and
 * writes the key's last use when due (a modifying WITH runs whether or not it is
 * read); a refusal rolls the touch back with the rest. The same statement reads
 * the workspace's PII redaction (returned), so the policy costs no round trip.
 */
async function assertCreatorStillEntitled(tx: Tx, key: ApiKeyPrincipal, scope: ScopedRoute["scope"]): Promise<PiiKind[]> {
  const due = !key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;
  const [row] = await tx.$queryRaw<{ role: Role | null; pii_redaction: string[] | null }[]>`
    WITH touched AS (
      UPDATE api_keys SET last_used_at = now()
       WHERE ${due} AND id = ${key.id}::uuid AND workspace_id = ${key.workspaceId}::uuid
      RETURNING id)
    SELECT (SELECT m.role FROM memberships m
             WHERE ${key.createdById}::uuid IS NOT NULL AND m.workspace_id = ${key.workspaceId}::uuid AND m.user_id = ${key.createdById}::uuid)::text AS role,
           (SELECT w.pii_redaction FROM workspaces w WHERE w.id = ${key.workspaceId}::uuid) AS pii_redaction`;
  if (!roleGrantsScope(row?.role ?? null, scope)) {
    throw new AppError("forbidden", "The member who created this API key no longer holds the rights it needs.", undefined, "creator_lacks_access");
  }
  return toPiiKinds(row?.pii_redaction);
}
