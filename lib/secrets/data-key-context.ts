// Apart from data-keys.ts (server-only) so that operator scripts (keys:rotate, the
// start-up check) wrap and unwrap with exactly the context the app uses.

/** The associated data a data key is wrapped with: a wrapped key moved to another row or workspace fails to unwrap. */
export const dataKeyContext = (workspaceId: string, dataKeyId: string) => `warden data key v1\n${workspaceId}\n${dataKeyId}`;
