import { z } from "zod";

// What a browser reports when the CSP blocks something, in either of the two
// formats browsers send: report-uri's {"csp-report": {...}} and the Reporting
// API's [{type: "csp-violation", body: {...}}]. Only what helps find the cause is
// kept, and URLs lose their query and fragment: a page's URL can carry a one-time
// token (a reset or invitation link) that must not reach the log.

export const MAX_REPORT_BYTES = 16 * 1024;
const MAX_VIOLATIONS = 10;

export type CspViolation = {
  directive: string;
  blocked: string;
  document: string;
  source: string | null;
  line: number | null;
  column: number | null;
  disposition: string | null;
};

const text = z.string().max(4096).optional().nullable();
const num = z.number().int().nonnegative().optional().nullable();

const legacy = z.object({
  "csp-report": z.object({
    "document-uri": text,
    "violated-directive": text,
    "effective-directive": text,
    "blocked-uri": text,
    "source-file": text,
    "line-number": num,
    "column-number": num,
    disposition: text,
  }),
});

const reporting = z
  .array(
    z.object({
      type: z.string(),
      url: text,
      body: z
        .object({
          documentURL: text,
          effectiveDirective: text,
          blockedURL: text,
          sourceFile: text,
          lineNumber: num,
          columnNumber: num,
          disposition: text,
        })
        .optional()
        .nullable(),
    }),
  )
  .max(100);

/** Printable, short, and for URLs without query or fragment ("inline", "eval" and the like pass as they are). */
function clean(value: string | null | undefined, url = false): string {
  if (!value) return "";
  let out = value;
  if (url) {
    try {
      const parsed = new URL(value);
      out = parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin + parsed.pathname : parsed.protocol;
    } catch {
      out = value.split(/[?#]/)[0];
    }
    // Invitation and reset links carry their single-use token in the path itself.
    out = out.replace(/\/(invite|reset)\/[^/]+/g, "/$1/…");
  }
  return out.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 200);
}

/** The violations in a report body, or null when it is not a CSP report at all. */
export function parseCspReport(body: string): CspViolation[] | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const old = legacy.safeParse(json);
  if (old.success) {
    const r = old.data["csp-report"];
    return [
      {
        directive: clean(r["effective-directive"] ?? r["violated-directive"]),
        blocked: clean(r["blocked-uri"], true),
        document: clean(r["document-uri"], true),
        source: clean(r["source-file"], true) || null,
        line: r["line-number"] ?? null,
        column: r["column-number"] ?? null,
        disposition: clean(r.disposition) || null,
      },
    ];
  }
  const batch = reporting.safeParse(json);
  if (!batch.success) return null;
  return batch.data
    .filter((report) => report.type === "csp-violation" && report.body)
    .slice(0, MAX_VIOLATIONS)
    .map(({ url, body }) => ({
      directive: clean(body!.effectiveDirective),
      blocked: clean(body!.blockedURL, true),
      document: clean(body!.documentURL ?? url, true),
      source: clean(body!.sourceFile, true) || null,
      line: body!.lineNumber ?? null,
      column: body!.columnNumber ?? null,
      disposition: clean(body!.disposition) || null,
    }));
}
