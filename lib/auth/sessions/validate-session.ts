import { getConfig } from "../../config";
import { withSystem } from "../../db/system";
import { hashToken } from "../session-token";

export type ValidSession = {
  sessionId: string;
  user: { id: string; email: string; name: string };
};

// Writing last_seen on every request would turn each page view into a write;
// once a minute is precise enough for "last active" and the idle window.
const TOUCH_EVERY_MS = 60_000;

/** Looks a presented token up and answers the session only while it is live. */
export async function validateSession(token: string): Promise<ValidSession | null> {
  const now = new Date();
  return withSystem(async (tx) => {
    const session = await tx.session.findUnique({
      where: { tokenHash: hashToken(token) },
      include: { user: { select: { id: true, email: true, name: true } } },
    });
    if (!session || session.revokedAt || session.idleExpiresAt <= now || session.absoluteExpiresAt <= now) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      const idle = new Date(now.getTime() + getConfig().SESSION_IDLE_MINUTES * 60_000);
      await tx.session.update({
        where: { id: session.id },
        data: { lastSeenAt: now, idleExpiresAt: idle < session.absoluteExpiresAt ? idle : session.absoluteExpiresAt },
      });
    }
    return { sessionId: session.id, user: session.user };
  });
}
