import type { BrowserContext, Download, Page, Route } from "@playwright/test";
import { readFile } from "node:fs/promises";

// Every response a browser context receives, kept whole (URL, method, status,
// headers and decoded body), so a spec can say afterwards in exactly which
// responses a value appeared. Requests are not kept: what a person types is sent,
// the question is what comes back.
//
// The context's requests are routed through `route.fetch` and the browser gets
// exactly the response the server sent (redirects not followed, so it follows
// them itself). Listening with page.on("response") is not enough: Chromium keeps
// no body for a response a page read as a stream (RSC payloads, server action
// answers: "No data found for resource"), and those are the ones that matter.
// A download (Content-Disposition: attachment) is not routed by Chromium: the
// file the browser saved is recorded instead.

/**
 * What a response was for the page: a document (HTML), an RSC payload (a
 * navigation or prefetch with the RSC header, or text/x-component), a server
 * action's answer (POST with Next-Action), JSON, a file downloaded (attachment),
 * a call made outside the browser (`api`, added by the spec), or anything else
 * (scripts, styles, fonts, images: searched as well).
 */
export type ResponseKind = "document" | "rsc" | "action" | "json" | "download" | "api" | "other";

export type RecordedResponse = {
  seq: number;
  /** The spec's step when the request was made (`recorder.phase`). */
  phase: string;
  kind: ResponseKind;
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
};

/** A request that got no response (the page moved on and cancelled it, or the network failed). */
export type LostRequest = { phase: string; method: string; url: string; reason: string };

function kindOf(requestHeaders: Record<string, string>, method: string, resourceType: string, headers: Record<string, string>): ResponseKind {
  const type = headers["content-type"] ?? "";
  if (method === "POST" && requestHeaders["next-action"]) return "action";
  if (requestHeaders["rsc"] === "1" || type.includes("text/x-component")) return "rsc";
  if (/attachment/i.test(headers["content-disposition"] ?? "")) return "download";
  if (resourceType === "document" || type.includes("text/html")) return "document";
  if (type.includes("json")) return "json";
  return "other";
}

export class ResponseRecorder {
  /** Set by the spec before each step, so a finding names the step that caused it. */
  phase = "start";
  readonly responses: RecordedResponse[] = [];
  readonly lost: LostRequest[] = [];
  private pending: Promise<void>[] = [];
  private seq = 0;

  /** Records every response to every page of the context (navigations, fetches, actions) and every file they download. */
  async attach(context: BrowserContext): Promise<void> {
    await context.route("**/*", (route) => this.track(this.intercept(route)));
    const watch = (page: Page) => page.on("download", (download) => void this.track(this.captureDownload(download)));
    context.pages().forEach(watch);
    context.on("page", watch);
  }

  /** A response received outside the browser (an API call from the spec). */
  add(entry: Omit<RecordedResponse, "seq" | "phase">): void {
    this.responses.push({ ...entry, seq: this.seq++, phase: this.phase });
  }

  /** Waits until every request seen so far has its response recorded. */
  async settle(): Promise<void> {
    while (this.pending.length) await Promise.all(this.pending.splice(0));
  }

  private track(work: Promise<void>): Promise<void> {
    this.pending.push(work);
    return work;
  }

  private async captureDownload(download: Download): Promise<void> {
    const phase = this.phase;
    const seq = this.seq++;
    const body = await readFile(await download.path());
    this.responses.push({ seq, phase, kind: "download", method: "GET", url: download.url(), status: 200, headers: { "x-suggested-filename": download.suggestedFilename() }, body });
  }

  private async intercept(route: Route): Promise<void> {
    const phase = this.phase;
    const seq = this.seq++;
    const request = route.request();
    const method = request.method();
    // The build's static files are the same bytes for every run and cannot carry a
    // value typed at run time; proxied, a failed fetch of one left the page without
    // its scripts (never hydrated), so they go straight to the server.
    if (new URL(request.url()).pathname.startsWith("/_next/static/")) {
      await route.continue().catch(() => {});
      return;
    }
    try {
      const response = await route.fetch({ maxRedirects: 0 });
      const body = await response.body();
      const headers = response.headers();
      const kind = kindOf(await request.allHeaders(), method, request.resourceType(), headers);
      this.responses.push({ seq, phase, kind, method, url: request.url(), status: response.status(), headers, body });
      await route.fulfill({ response, body });
    } catch (error) {
      this.lost.push({ phase, method, url: request.url(), reason: String((error as Error).message).split("\n")[0] });
      await route.abort().catch(() => {});
    }
  }
}

/** The forms a value could take in text that carries it: as is, as hex (bytea output) and as base64. */
export function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  return [value, bytes.toString("hex"), bytes.toString("base64").replace(/=+$/, "")];
}

/** Whether any form of `value` is in `haystack`. */
export function containsValue(haystack: Buffer | string, value: string): boolean {
  const text = typeof haystack === "string" ? haystack : haystack.toString("latin1");
  const lower = text.toLowerCase();
  return encodedForms(value).some((form, i) => (i === 1 ? lower.includes(form) : text.includes(form)));
}

/** The text of a response searched: its URL, its headers and its body. */
export function searchable(response: RecordedResponse): Buffer {
  const head = `${response.method} ${response.url}\n${Object.entries(response.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n")}\n\n`;
  return Buffer.concat([Buffer.from(head, "utf8"), response.body]);
}

/** "kind METHOD path" of every response holding the value, in the order they arrived. */
export function responsesHolding(responses: RecordedResponse[], value: string): RecordedResponse[] {
  return responses.filter((r) => containsValue(searchable(r), value)).sort((a, b) => a.seq - b.seq);
}

export const describeResponse = (r: Pick<RecordedResponse, "kind" | "method" | "url" | "phase">) => `${r.phase}: ${r.kind} ${r.method} ${new URL(r.url).pathname}`;
