import { z } from "zod";
import { JSON_BODY_MAX_BYTES } from "../http/parse-json-body";
import { apiErrorSchema } from "./api-error";
import { API_V1, type ApiV1Route } from "./v1-routes";

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: "input" | "output"): JsonSchema => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
};

const RATE_LIMIT_HEADERS = {
  "RateLimit-Limit": { description: "Requests allowed per window for this key.", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in the current window.", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the window resets.", schema: { type: "integer" } },
};

const errorResponse = (description: string, extraHeaders: Record<string, unknown> = {}) => ({
  description,
  headers: extraHeaders,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

function queryParameters(query: z.ZodObject | null) {
  if (!query) return [];
  const schema = toSchema(query, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: "query",
      required: schema.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: propertySchema,
      ...(propertySchema.type === "array" ? { style: "form", explode: true } : {}),
    };
  });
}

function pathParameters(params: z.ZodObject | undefined) {
  if (!params) return [];
  const schema = toSchema(params, "input") as { properties?: Record<string, JsonSchema> };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({ name, in: "path", required: true, schema: property }));
}

const IDEMPOTENCY_KEY_PARAMETER = {
  name: "Idempotency-Key",
  in: "header",
  required: true,
  description: "1 to 255 printable ASCII characters, new for each request you mean to make once: a retry with the same key and body answers the first answer; the same key with another body is a 409.",
  schema: { type: "string", minLength: 1, maxLength: 255 },
};

function operation(route: ApiV1Route) {
  const success = route.scope ? { headers: RATE_LIMIT_HEADERS } : {};
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description && { description: route.description }),
    security: route.scope ? [{ apiKey: [route.scope] }] : [],
    ...(route.scope && { "x-required-scope": route.scope }),
    parameters: [...pathParameters(route.params), ...(route.idempotencyKey ? [IDEMPOTENCY_KEY_PARAMETER] : []), ...queryParameters(route.query)],
    ...(route.body && { requestBody: { required: !("bodyOptional" in route && route.bodyOptional), content: { "application/json": { schema: toSchema(route.body, "input") } } } }),
    responses: {
      [String(route.status ?? 200)]: { description: route.status === 201 ? "Created" : "OK", ...success, content: { "application/json": { schema: toSchema(route.response, "output") } } },
      ...(route.query && { "400": errorResponse("A query parameter was refused; error.parameter names it.", RATE_LIMIT_HEADERS) }),
      ...(route.body && {
        "400": errorResponse("The body is not JSON (error.reason malformed_json), or a field was refused (invalid_body; error.parameter names the first, e.g. names.2).", RATE_LIMIT_HEADERS),
        "413": errorResponse(`The body is larger than ${route.bodyMaxBytes ?? JSON_BODY_MAX_BYTES} bytes.`, RATE_LIMIT_HEADERS),
        "415": errorResponse("The body was not sent as Content-Type: application/json.", RATE_LIMIT_HEADERS),
      }),
      ...Object.fromEntries(Object.entries(route.errors ?? {}).map(([status, description]) => [status, errorResponse(description, RATE_LIMIT_HEADERS)])),
      ...(route.scope && {
        "401": errorResponse("The API key is missing, malformed, unknown, revoked or expired (error.reason says which)."),
        "403": errorResponse("The key lacks the required scope, or its creator no longer holds the rights behind it.", RATE_LIMIT_HEADERS),
        "429": errorResponse("Rate limited; retry after Retry-After seconds.", {
          ...RATE_LIMIT_HEADERS,
          "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } },
        }),
      }),
    },
  };
}

/** The OpenAPI 3.1 document of every /api/v1 route, built from the routes' own zod schemas. */
export function buildOpenApiDocument(serverUrl?: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of Object.values(API_V1) as ApiV1Route[]) {
    (paths[route.path] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Warden API",
      version: "1",
      description: "Workspace evidence for auditors, and secrets resolved by name for agents. Authenticate with an API key from Workspace → API keys: `Authorization: Bearer wdn_live_…`.",
    },
    ...(serverUrl && { servers: [{ url: serverUrl }] }),
    paths,
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "A Warden API key (wdn_live_…)." } },
      schemas: { Error: toSchema(apiErrorSchema, "output") },
    },
  };
}
