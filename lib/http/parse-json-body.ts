import type { z } from "zod";
import { AppError } from "../errors";
import { hasControlCharacters } from "../validation/safe-input";
import { readCappedBody } from "./read-capped-body";

/** 1 MiB: an API body's limit unless its route says otherwise. */
export const JSON_BODY_MAX_BYTES = 1_048_576;
/** 64 KiB: what a route of a few fields takes (a hundred names and more), never a place to upload files. */
export const SMALL_JSON_BODY_MAX_BYTES = 65_536;

const tooLarge = (maxBytes: number) => new AppError("payload_too_large", `The body may be at most ${maxBytes} bytes.`, undefined, "payload_too_large");
const malformed = () => new AppError("invalid_input", "The body is not valid JSON (UTF-8).", undefined, "malformed_json");

/**
 * A JSON request body checked against a schema, every client mistake a 4xx: the
 * wrong Content-Type (415), a body over the limit, declared or streamed (413,
 * read no further), bytes that are not UTF-8 JSON (400 malformed_json), and
 * fields the schema refuses (400 invalid_body, errors by field path such as
 * `names.2`). A field the schema does not know is refused rather than ignored.
 */
export async function parseJsonBody<S extends z.ZodType>(schema: S, request: Request, maxBytes = JSON_BODY_MAX_BYTES, options: { emptyAsObject?: boolean } = {}): Promise<z.output<S>> {
  const contentType = request.headers.get("content-type");
  const [mediaType, ...parameters] = (contentType ?? "").split(";").map((part) => part.trim().toLowerCase());
  const charset = parameters
    .find((p) => p.startsWith("charset="))
    ?.slice("charset=".length)
    .replace(/"/g, "");
  const json = mediaType === "application/json" && (charset === undefined || charset === "utf-8" || charset === "utf8");
  // A route whose body carries nothing (void) also takes no body at all, with or
  // without a Content-Type: `{}` is what an empty body means there.
  const mayBeEmpty = options.emptyAsObject === true && (json || contentType === null);
  if (!json && !mayBeEmpty) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.", undefined, "unsupported_media_type");
  }
  let raw: unknown;
  try {
    const bytes = await readBody(request, maxBytes);
    if (bytes.length === 0 && mayBeEmpty) raw = {};
    else if (!json) throw new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.", undefined, "unsupported_media_type");
    else raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw malformed();
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;

  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    if (issue.code === "unrecognized_keys") {
      // The key is echoed as the field's name only when it is plain text.
      for (const key of issue.keys) (errors[hasControlCharacters(key) || key.length > 100 ? "body" : key] ??= []).push("Unknown field");
      continue;
    }
    (errors[issue.path.length > 0 ? issue.path.join(".") : "body"] ??= []).push(issue.message);
  }
  const first = Object.keys(errors)[0];
  throw new AppError("invalid_input", `Invalid field ${first}: ${errors[first][0]}`, errors, "invalid_body");
}

async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const body = await readCappedBody(request, maxBytes);
  if (body === null) throw tooLarge(maxBytes);
  return body;
}
