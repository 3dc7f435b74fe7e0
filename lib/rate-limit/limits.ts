import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { createLimiter } from "./limiter-store";

type Spec = { keyPrefix: string; points: number; durationSeconds: number; perAddress?: boolean };

// Every rate limit in one place. A limit marked perAddress is keyed on the client's
// address as addressKey() normalises it (an IPv6 client on its /64).
const SPECS = {
  signInPerIp: { keyPrefix: "sign-in-ip", points: 5, durationSeconds: 60, perAddress: true },
  signInPerAccount: { keyPrefix: "sign-in-account", points: 10, durationSeconds: 60 },
  passwordChangePerUser: { keyPrefix: "password-change", points: 3, durationSeconds: 15 * 60 },
  // Reset-link submissions per client address: the page is public and each try may cost an Argon2 hash.
  passwordResetPerIp: { keyPrefix: "password-reset-ip", points: 10, durationSeconds: 15 * 60, perAddress: true },
  // Wrong MFA codes per user, wherever a code is checked (sign-in, step-up, turning
  // MFA off, new recovery codes): a stolen session must not guess its way past MFA.
  secondFactorFailuresPerUser: { keyPrefix: "second-factor-failures", points: 5, durationSeconds: 15 * 60 },
  // Requests per API key across all of /api/v1: an agent in a loop cannot starve the instance.
  // Secret resolution shares this budget rather than having its own: a runtime
  // resolves at the moment of an outbound call, not in a loop, and every resolve
  // writes audit events, so one budget per key also bounds the audit volume a
  // key can cause. A fleet that needs more gives each agent its own key.
  apiKeyRequests: { keyPrefix: "api-key", points: 300, durationSeconds: 60 },
  // Failed API authentications per client address, so key guessing costs nothing but time.
  apiAuthFailuresPerIp: { keyPrefix: "api-auth-failures", points: 30, durationSeconds: 60, perAddress: true },
  // Unauthenticated forms that hash a password: each try costs ~19 MiB and a core for a moment.
  setupPerIp: { keyPrefix: "setup-ip", points: 5, durationSeconds: 15 * 60, perAddress: true },
  invitationAcceptPerIp: { keyPrefix: "invitation-accept-ip", points: 10, durationSeconds: 15 * 60, perAddress: true },
  // CSP violation reports per client address: enough for a page's worth of real ones, not a log flood.
  cspReportsPerIp: { keyPrefix: "csp-report-ip", points: 20, durationSeconds: 60, perAddress: true },
} as const satisfies Record<string, Spec>;

export type LimitName = keyof typeof SPECS;

export function isPerAddress(name: LimitName): boolean {
  const spec: Spec = SPECS[name];
  return spec.perAddress === true;
}

const limiters = new Map<LimitName, RateLimiterAbstract>();

export function limiter(name: LimitName): RateLimiterAbstract {
  let found = limiters.get(name);
  if (!found) {
    found = createLimiter(SPECS[name]);
    limiters.set(name, found);
  }
  return found;
}
