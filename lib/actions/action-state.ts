// What every server action returns to its form. Never carries a secret unless the
// action exists to show one once (a new API key); never an internal error.
export type ActionState<T = unknown> =
  { status: "idle" } | { status: "ok"; data: T; message?: string } | { status: "error"; error: string; code?: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string> };

export const idle: ActionState<never> = { status: "idle" };
