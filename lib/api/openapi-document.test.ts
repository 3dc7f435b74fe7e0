import { describe, expect, it } from "vitest";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildOpenApiDocument } from "./openapi-document";
import { API_V1 } from "./v1-routes";
import { auditApiQuerySchema } from "../audit/schemas";
import { RESOLVE_NAMES_MAX } from "../secrets/resolve-schemas";
import { USAGE_BODY_MAX_BYTES, USAGE_EVENTS_MAX } from "../usage/schemas";
import { GET } from "../../app/api/v1/openapi.json/route";

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? routeFiles(path) : entry === "route.ts" ? [path] : [];
  });
}

describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument();

  it("describes every /api/v1 route file, and nothing else", () => {
    const fromFiles = routeFiles("app/api/v1")
      .map(
        (file) =>
          "/" +
          file
            .replace(/^app\//, "")
            .replace(/\/route\.ts$/, "")
            .replace(/\[(\w+)\]/g, "{$1}"),
      )
      .sort();
    expect(Object.keys(document.paths).sort()).toEqual(fromFiles);
    expect(
      Object.values(API_V1)
        .map((route) => route.path)
        .sort(),
    ).toEqual(fromFiles);
  });

  it("describes a spend authorization's path parameter, its required Idempotency-Key header and its 201", () => {
    const operation = document.paths["/api/v1/agents/{agent}/authorizations"].post as { parameters: { name: string; in: string; required: boolean }[]; responses: Record<string, unknown> };
    expect(operation.parameters).toEqual([expect.objectContaining({ name: "agent", in: "path", required: true }), expect.objectContaining({ name: "Idempotency-Key", in: "header", required: true })]);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["201", "402", "409", "422", "503"]));
    expect(operation.responses["200"]).toBeUndefined();
  });

  it("takes its parameters from the schema the route validates with", () => {
    const operation = document.paths["/api/v1/audit"].get as { parameters: { name: string; schema: Record<string, unknown>; style?: string }[]; security: unknown[] };
    expect(operation.parameters.map((p) => p.name).sort()).toEqual(Object.keys(auditApiQuerySchema.shape).sort());
    const action = operation.parameters.find((p) => p.name === "action")!;
    expect(action).toMatchObject({ style: "form", schema: { type: "array", items: { enum: expect.arrayContaining(["member.role_changed"]) } } });
    expect(operation.parameters.find((p) => p.name === "limit")!.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 200, default: 50 });
    expect(operation.security).toEqual([{ apiKey: ["audit:read"] }]);
  });

  it("is OpenAPI 3.1 with the error responses the API sends", async () => {
    expect(document.openapi).toBe("3.1.0");
    const responses = (document.paths["/api/v1/audit"].get as { responses: Record<string, unknown> }).responses;
    expect(Object.keys(responses).sort()).toEqual(["200", "400", "401", "403", "429"]);
    expect(document.components.schemas.Error).toMatchObject({ type: "object", properties: { error: { type: "object" } } });
    const served = await GET().json();
    expect(served).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it("describes secret resolution as a POST with its JSON body, its 404 and the body refusals", () => {
    const operation = document.paths["/api/v1/secrets/resolve"].post as {
      requestBody: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
      responses: Record<string, { headers?: Record<string, unknown> }>;
      security: unknown[];
      parameters: unknown[];
    };
    expect(operation.security).toEqual([{ apiKey: ["secrets:resolve"] }]);
    expect(operation.parameters).toEqual([]);
    expect(operation.requestBody.required).toBe(true);
    expect(operation.requestBody.content["application/json"].schema).toMatchObject({
      type: "object",
      required: ["environment", "names"],
      additionalProperties: false,
      properties: {
        environment: { type: "string", pattern: expect.any(String) },
        names: { type: "array", minItems: 1, maxItems: RESOLVE_NAMES_MAX, items: { type: "string", pattern: "^[A-Z_][A-Z0-9_]*$" } },
      },
    });
    expect(Object.keys(operation.responses).sort()).toEqual(["200", "400", "401", "403", "404", "413", "415", "429"]);
    expect(operation.responses["200"].headers).toHaveProperty("RateLimit-Remaining");
    expect(document.paths["/api/v1/secrets/resolve"]).not.toHaveProperty("get");
  });

  it("describes usage ingestion with its 1 MB body limit and its refusals, the platform audit writer and the usage read", () => {
    type Operation = {
      requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
      responses: Record<string, { description: string }>;
      security: unknown[];
      parameters: { name: string }[];
    };
    const ingest = document.paths["/api/v1/usage/events"].post as Operation;
    expect(ingest.security).toEqual([{ apiKey: ["runtime:usage"] }]);
    expect(ingest.responses["413"].description).toContain(String(USAGE_BODY_MAX_BYTES));
    expect(Object.keys(ingest.responses).sort()).toEqual(["200", "400", "401", "403", "404", "413", "415", "429"]);
    expect(ingest.requestBody!.content["application/json"].schema).toMatchObject({ properties: { events: { type: "array", maxItems: USAGE_EVENTS_MAX } } });
    const audit = document.paths["/api/v1/audit/events"].post as Operation;
    expect(audit.security).toEqual([{ apiKey: ["audit:write"] }]);
    expect(JSON.stringify(audit.requestBody)).toContain("platform.deployment_created");
    const usage = document.paths["/api/v1/workspaces/usage"].get as Operation;
    expect(usage.security).toEqual([{ apiKey: ["usage:read"] }]);
    expect(usage.parameters.map((p) => p.name).sort()).toEqual(["from", "to", "tz"]);
  });
});
