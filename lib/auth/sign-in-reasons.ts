import type { EndedReason } from "./sessions/check-session";

// What the sign-in page says about why a visitor is there. The URL carries only a
// code; each maps to one fixed sentence, so a crafted link cannot put words on
// the page, and no sentence names who ended a session.
export const SIGN_IN_REASONS = {
  // Sent back by lib/workspaces/require-workspace.ts for a stronger sign-in.
  mfa: "This workspace requires two-factor authentication, and this session signed in without it. Sign in again with your code.",
  revoked_by_owner: "An owner ended all sessions in your workspace. Sign in again.",
  password_changed: "Your password was changed, which signed out your other devices. Sign in with the new password.",
  password_reset: "Your password was reset with a recovery link, which signed out every device. Sign in with the new password.",
  mfa_changed: "Two-factor authentication was turned on or off for your account, which signed out your other devices. Sign in again.",
  ended_elsewhere: "This session was ended from another of your devices. Sign in again.",
  signed_out: "You signed out.",
  reuse: "This session was ended because its sign-in token was used from two places. Sign in again, and change your password if that was not you.",
  expired: "Your session expired. Sign in again.",
  ended: "Your session was ended. Sign in again.",
} as const satisfies Record<EndedReason | "mfa", string>;

export type SignInReason = keyof typeof SIGN_IN_REASONS;

/** The code from the URL if it is one of ours; anything else (unknown, repeated) is ignored. */
export function signInReason(value: string | string[] | undefined): SignInReason | null {
  return typeof value === "string" && Object.hasOwn(SIGN_IN_REASONS, value) ? (value as SignInReason) : null;
}
