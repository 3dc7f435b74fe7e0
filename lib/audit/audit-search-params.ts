import type { AuditFilters } from "./schemas";

/** Filters back into URL parameters (actions repeated), for links that keep the current view. */
export function auditSearchParams(filters: AuditFilters, extra: Record<string, string | undefined> = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params;
}
