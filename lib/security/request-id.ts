// The server names every request itself: audit rows and logs carry an id no
// client chose. A client's own X-Request-Id is kept apart, as its client request
// id, and only when short and plain, so it cannot smuggle content into logs or headers.
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

export function newRequestId(): string {
  return crypto.randomUUID();
}

/** The client's X-Request-Id if well formed, else null: informational, never the server's id. */
export function clientRequestIdFrom(incoming: string | null): string | null {
  return incoming && WELL_FORMED.test(incoming) ? incoming : null;
}

/** The client's address: the entry `hops` places before the end of X-Forwarded-For, which the server appends. */
export function clientIpFrom(forwardedFor: string | null, hops: number): string | null {
  const entries = (forwardedFor ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return entries[entries.length - 1 - hops] ?? entries[0] ?? null;
}
