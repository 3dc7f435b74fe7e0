// A client-supplied X-Request-Id is kept only when it is short and plain, so it
// cannot smuggle content into logs or headers.
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(incoming: string | null): string {
  return incoming && WELL_FORMED.test(incoming) ? incoming : crypto.randomUUID();
}

/** The client's address: the entry `hops` places before the end of X-Forwarded-For, which the server appends. */
export function clientIpFrom(forwardedFor: string | null, hops: number): string | null {
  const entries = (forwardedFor ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return entries[entries.length - 1 - hops] ?? entries[0] ?? null;
}
