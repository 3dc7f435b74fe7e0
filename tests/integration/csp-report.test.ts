import { describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { POST } from "../../app/api/csp-report/route";
import { log } from "../../lib/log";
import { parseCspReport } from "../../lib/security/csp-report";

// The CSP report endpoint: browsers' reports become log warnings; junk never
// becomes a server error; one address cannot flood the log.

// A /64 of its own per call site, so runs sharing one Redis never share a bucket.
const freshIp = () => `2001:db8:${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}::1`;

const post = (body: BodyInit | null, ip = freshIp(), type = "application/csp-report") =>
  POST(new Request("http://localhost:3000/api/csp-report", { method: "POST", body, headers: { "content-type": type, "x-warden-ip": ip, "x-request-id": randomUUID() } }));

const legacyReport = (documentUri: string) =>
  JSON.stringify({
    "csp-report": {
      "document-uri": documentUri,
      "violated-directive": "script-src-elem",
      "effective-directive": "script-src-elem",
      "blocked-uri": "eval",
      "source-file": "http://localhost:3000/_next/static/chunks/app.js?v=1",
      "line-number": 12,
      "column-number": 7,
    },
  });

describe("CSP reports", () => {
  it("a browser's report, in either format, is logged without the page's query string or a link's token in its path", async () => {
    const warn = vi.spyOn(log, "warn");
    expect((await post(legacyReport("http://localhost:3000/reset/0d7f3c1e-0000-4000-8000-000000000001.secret-token-in-the-path?token=secret-one-time"))).status).toBe(204);
    const reportingApi = JSON.stringify([
      {
        type: "csp-violation",
        url: "http://localhost:3000/w/acme/audit?q=x",
        body: { documentURL: "http://localhost:3000/w/acme/audit?q=x", effectiveDirective: "script-src", blockedURL: "eval", disposition: "enforce" },
      },
      { type: "deprecation", url: "http://localhost:3000/", body: {} },
    ]);
    expect((await post(reportingApi, undefined, "application/reports+json")).status).toBe(204);
    const logged = warn.mock.calls.map(([fields]) => (fields as { csp: { document: string; directive: string } }).csp);
    expect(logged).toEqual([
      expect.objectContaining({ document: "http://localhost:3000/reset/…", directive: "script-src-elem", blocked: "eval", line: 12 }),
      expect.objectContaining({ document: "http://localhost:3000/w/acme/audit", directive: "script-src", disposition: "enforce" }),
    ]);
    expect(JSON.stringify(warn.mock.calls)).not.toContain("secret-one-time");
    expect(JSON.stringify(warn.mock.calls)).not.toContain("secret-token-in-the-path");
    warn.mockRestore();
  });

  it.each([
    ["not JSON", "<<<garbage"],
    ["JSON of the wrong shape", JSON.stringify({ hello: "world" })],
    ["a wrongly typed field", JSON.stringify({ "csp-report": { "line-number": "twelve" } })],
    ["an empty body", null],
    ["NUL bytes", "\u0000\u0000{"],
    ["a deep array", "[".repeat(5000) + "]".repeat(5000)],
  ])("%s answers 4xx, never 5xx", async (_label, body) => {
    const status = (await post(body)).status;
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
  });

  it("a body larger than any report is refused unread with 413", async () => {
    expect((await post("x".repeat(64 * 1024))).status).toBe(413);
  });

  it("one address may send 20 reports a minute; then it gets 429 and nothing more is logged", async () => {
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 22; i++) statuses.push((await post(legacyReport("http://localhost:3000/"), ip)).status);
    expect(statuses.slice(0, 20).every((s) => s === 204)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  it("control characters in a report do not reach the log line", () => {
    const [violation] = parseCspReport(JSON.stringify({ "csp-report": { "violated-directive": "script-src\r\nforged: 1", "blocked-uri": "inline" } }))!;
    expect(violation.directive).toBe("script-srcforged: 1");
  });
});
