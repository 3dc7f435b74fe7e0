/** A reset link is good for one hour and works once. */
export const RESET_LINK_TTL_MS = 3600_000;

/** The link a person opens: the link's id and a single-use token (only its hash is stored). */
export const resetLinkUrl = (baseUrl: string, resetId: string, token: string) => `${baseUrl}/reset/${resetId}.${token}`;

const LINK = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

/** The id and token of a reset link, or null for anything else (so garbage never reaches a uuid cast). */
export function parseResetLink(value: string): { resetId: string; token: string } | null {
  const match = LINK.exec(value);
  return match ? { resetId: match[1], token: match[2] } : null;
}
