// Not "server-only": scripts/server.ts (outside Next's bundle) drains through it.
// The process's lifecycle, shared by the HTTP server and Next's bundle: both load
// this module (each its own copy), so the state lives on globalThis.

type Closer = () => Promise<void>;
type Lifecycle = { draining: boolean; closers: Map<string, Closer> };

const KEY = Symbol.for("warden.lifecycle");

function lifecycle(): Lifecycle {
  const holder = globalThis as unknown as Record<symbol, Lifecycle | undefined>;
  holder[KEY] ??= { draining: false, closers: new Map() };
  return holder[KEY];
}

/** True once the server has begun to shut down: /api/health/ready answers 503. */
export const isDraining = (): boolean => lifecycle().draining;

export function startDraining(): void {
  lifecycle().draining = true;
}

/** A connection (the database pool, Redis) to close once the last request has finished; one per name. */
export function onShutdown(name: string, close: Closer): void {
  lifecycle().closers.set(name, close);
}

/** Closes every registered connection; a failure to close one does not keep the others open. */
export async function closeConnections(): Promise<string[]> {
  const closers = [...lifecycle().closers];
  lifecycle().closers.clear();
  const results = await Promise.allSettled(closers.map(([, close]) => close()));
  return closers.filter((_, i) => results[i].status === "rejected").map(([name]) => name);
}
