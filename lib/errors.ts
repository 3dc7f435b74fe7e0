// Errors a person can act on. Anything else is logged and shown as a generic failure.

export type AppErrorCode =
  | "invalid_input"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "step_up_required"
  | "payload_too_large"
  | "unsupported_media_type"
  | "payment_required"
  | "unprocessable"
  | "unavailable";

const STATUS: Record<AppErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  step_up_required: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  payment_required: 402,
  unprocessable: 422,
  unavailable: 503,
};

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
    /** A machine-readable refinement of the code for API clients, e.g. "api_key_revoked". */
    readonly reason?: string,
    /** Facts an API client acts on beside the reason, e.g. { remaining, resets_at }: never internals. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return STATUS[this.code];
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
