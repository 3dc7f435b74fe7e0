import { getConfig } from "../config";
import type { Tx } from "../db/with-workspace";
import type { RequestContext } from "../http/request-context";
import { describeUserAgent } from "../auth/sessions/describe-user-agent";
import { emailInBackgroundAfterCommit } from "./email-after-commit";
import { emailEnabled } from "./mail-transport";
import { newSignInEmail } from "./messages/new-sign-in-email";

const KNOWN_FOR_MS = 30 * 24 * 3600_000;
// Enough sessions to recognise a device; a person with more in 30 days is told at worst once too often.
const LOOK_BACK = 50;

/** The browser and system without versions: an update is not a new device. */
const family = (userAgent: string | null) => {
  const { browser, system } = describeUserAgent(userAgent);
  return `${browser.replace(/ [\d.]+$/, "")} on ${system}`;
};

/**
 * Before the new session exists: emails the person when no session of theirs in
 * the last 30 days came from the same browser family and address. A first sign-in
 * ever (just after setup or an invitation) is not news to anyone. One indexed
 * read, and none with email off.
 */
export async function emailNewDeviceSignIn(tx: Tx, options: { user: { id: string; email: string }; context: RequestContext }) {
  if (!emailEnabled()) return;
  const { user, context } = options;
  const recent = await tx.session.findMany({
    where: { userId: user.id, createdAt: { gte: new Date(Date.now() - KNOWN_FOR_MS) } },
    orderBy: { createdAt: "desc" },
    take: LOOK_BACK,
    select: { ip: true, userAgent: true },
  });
  const device = family(context.userAgent);
  if (recent.some((s) => s.ip === context.ip && family(s.userAgent) === device)) return;
  if (recent.length === 0 && !(await tx.session.findFirst({ where: { userId: user.id }, select: { id: true } }))) return;
  emailInBackgroundAfterCommit([newSignInEmail({ to: user.email, device, ip: context.ip, at: new Date(), sessionsUrl: `${getConfig().WARDEN_URL}/account/sessions` })]);
}
