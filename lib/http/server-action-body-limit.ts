/** A server action's body may be at most this large: 1 MB, Next's own limit for actions. */
export const SERVER_ACTION_MAX_BYTES = 1024 * 1024;

const text = (status: number, message: string) => new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/**
 * Refuses a server action whose body is too large before anything reads it. Next
 * enforces the same limit while reading, but answers a 500 for it; a person who
 * pasted too much deserves the 413 that says so. A browser always sends a form's
 * length; a body without one (chunked) is asked for it.
 */
export function serverActionBodyRefusal(method: string, headers: Headers): Response | null {
  if (method !== "POST" || !headers.has("next-action")) return null;
  const length = headers.get("content-length");
  if (length === null) return text(411, "Send the form with its length (Content-Length).");
  if (!/^\d{1,15}$/.test(length) || Number(length) > SERVER_ACTION_MAX_BYTES) {
    return text(413, "The form is larger than 1 MB, the most an action accepts. Shorten what you entered and send it again.");
  }
  return null;
}
